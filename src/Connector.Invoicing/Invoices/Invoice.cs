using Connector.Invoicing.Money;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// A posted invoice. Immutable: once posted, no code path changes it; corrections are credit notes.
/// <see cref="Number"/> is unique and gapless within its series. Totals are sums of rounded figures, so
/// <see cref="Total"/> = <see cref="Net"/> + <see cref="Tax"/> to the cent, and <see cref="Payable"/> is the total less
/// any withholding tax.
/// </summary>
public sealed record Invoice
{
    public long Id { get; init; }

    public required string Number { get; init; }

    public required string AccountId { get; init; }

    public required Party Seller { get; init; }

    public required Party Buyer { get; init; }

    public required Currency Currency { get; init; }

    public required DateOnly IssueDate { get; init; }

    public required DateOnly DueDate { get; init; }

    public required IReadOnlyList<InvoiceLine> Lines { get; init; }

    public required IReadOnlyList<TaxLine> Taxes { get; init; }

    public IReadOnlyList<WithholdingLine> Withholdings { get; init; } = [];

    /// <summary>When the payable amount falls due; empty means all of it on <see cref="DueDate"/>.</summary>
    public IReadOnlyList<Installment> Installments { get; init; } = [];

    /// <summary>The invoice batch the run grouped it by (Salesforce Billing's Invoice Batch); null for the default.</summary>
    public string? Batch { get; init; }

    public Amount Net => Amount.Sum(Lines.Select(l => l.Net), Currency);

    public Amount Tax => Amount.Sum(Taxes.Select(t => t.Tax), Currency);

    public Amount Total => Net + Tax;

    public Amount Withheld => Amount.Sum(Withholdings.Select(w => w.Withheld), Currency);

    /// <summary>What the buyer owes: the total less withholding tax.</summary>
    public Amount Payable => Total - Withheld;

    /// <summary>The installments, or one installment of everything payable on the due date.</summary>
    public IReadOnlyList<Installment> DueSchedule => Installments.Count > 0 ? Installments : [new Installment(1, DueDate, Payable)];

    /// <summary>The orders billed on this invoice, in first-line order.</summary>
    public IReadOnlyList<string> OrderIds => [.. Lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal)];
}
