using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// A posted invoice. Immutable: once posted, no code path changes it; corrections are credit notes.
/// <see cref="Number"/> is unique and gapless within its series. Totals are sums of rounded figures, so
/// <see cref="Total"/> = <see cref="Net"/> + <see cref="Tax"/> to the cent.
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

    public Amount Net => Amount.Sum(Lines.Select(l => l.Net), Currency);

    public Amount Tax => Amount.Sum(Taxes.Select(t => t.Tax), Currency);

    public Amount Total => Net + Tax;

    /// <summary>The orders billed on this invoice, in first-line order.</summary>
    public IReadOnlyList<string> OrderIds => [.. Lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal)];
}
