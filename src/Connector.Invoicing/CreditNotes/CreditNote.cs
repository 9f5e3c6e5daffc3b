using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.CreditNotes;

/// <summary>
/// A posted credit note (factura rectificativa): corrects one invoice, named by number and issue date, for a reason.
/// Its lines carry the amounts credited as positive numbers, with the corrected lines' tax rates. Immutable once
/// posted; what has been used of it (its allocations and refunds) lives in the receivables ledger.
/// </summary>
public sealed record CreditNote
{
    public required string Number { get; init; }

    public required string AccountId { get; init; }

    public required Currency Currency { get; init; }

    public required DateOnly IssueDate { get; init; }

    public required string CorrectsNumber { get; init; }

    public required DateOnly CorrectsIssueDate { get; init; }

    public required string Reason { get; init; }

    public required IReadOnlyList<InvoiceLine> Lines { get; init; }

    public required IReadOnlyList<TaxLine> Taxes { get; init; }

    public IReadOnlyList<WithholdingLine> Withholdings { get; init; } = [];

    public Amount Net => Amount.Sum(Lines.Select(l => l.Net), Currency);

    public Amount Tax => Amount.Sum(Taxes.Select(t => t.Tax), Currency);

    public Amount Total => Net + Tax;

    public Amount Withheld => Amount.Sum(Withholdings.Select(w => w.Withheld), Currency);

    /// <summary>What the credit note gives back to the buyer: its total less the withholding it reverses.</summary>
    public Amount Payable => Total - Withheld;
}
