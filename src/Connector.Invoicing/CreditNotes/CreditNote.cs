using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.CreditNotes;

/// <summary>
/// A posted credit note (factura rectificativa): corrects one invoice, named by number and issue date, for a reason;
/// or, when a run's charges for an account make a negative total (discounts outweighing charges), corrects none and
/// is credit for the account (<see cref="CorrectsNumber"/> null). Its lines carry the amounts credited as positive
/// numbers, with the lines' tax rates. Immutable once posted; what has been used of it (its allocations and refunds)
/// lives in the receivables ledger.
/// </summary>
internal sealed record CreditNote : PostedDocument
{
    /// <summary>The invoice it corrects, or null for an account credit note.</summary>
    public required string? CorrectsNumber { get; init; }

    public required DateOnly? CorrectsIssueDate { get; init; }

    public required string Reason { get; init; }
}
