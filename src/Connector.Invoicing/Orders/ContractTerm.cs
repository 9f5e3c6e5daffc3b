namespace Connector.Invoicing.Orders;

/// <summary>
/// A contract's current end (a CPQ Contract's EndDate). No line of the contract bills service after it: a contract
/// ended early ends its lines, and the next run credits what was billed beyond it.
/// </summary>
internal sealed record ContractTerm(string ContractId, DateOnly EndDate);
