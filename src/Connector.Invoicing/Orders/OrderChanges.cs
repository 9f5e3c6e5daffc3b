namespace Connector.Invoicing.Orders;

/// <summary>What one batch of source records changes on the ordered side of billing: accounts, orders, lines, contract terms and payments received.</summary>
internal sealed class OrderChanges
{
    /// <summary>Where the records came from (kept with payments, so a payment set aside names its source).</summary>
    public required string Source { get; init; }

    public List<BillingAccount> Accounts { get; } = [];

    public List<OrderHeader> Orders { get; } = [];

    public List<BillableLine> Lines { get; } = [];

    public List<Receivables.IncomingPayment> Payments { get; } = [];

    public List<ContractTerm> Contracts { get; } = [];

    public bool IsEmpty => Accounts.Count + Orders.Count + Lines.Count + Payments.Count + Contracts.Count == 0;
}
