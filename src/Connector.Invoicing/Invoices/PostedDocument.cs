using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// What invoices and credit notes share: a number in its series, the account, the lines with their taxes and
/// withholdings, and totals that are sums of rounded figures, so <see cref="Total"/> = <see cref="Net"/> +
/// <see cref="Tax"/> to the cent and <see cref="Payable"/> = total − withholding.
/// </summary>
internal abstract record PostedDocument
{
    public required string Number { get; init; }

    public required string AccountId { get; init; }

    public required Currency Currency { get; init; }

    public required DateOnly IssueDate { get; init; }

    public required IReadOnlyList<InvoiceLine> Lines { get; init; }

    public required IReadOnlyList<TaxLine> Taxes { get; init; }

    public IReadOnlyList<WithholdingLine> Withholdings { get; init; } = [];

    public Amount Net => Amount.Sum(Lines.Select(l => l.Net), Currency);

    public Amount Tax => Amount.Sum(Taxes.Select(t => t.Tax), Currency);

    public Amount Total => Net + Tax;

    public Amount Withheld => Amount.Sum(Withholdings.Select(w => w.Withheld), Currency);

    /// <summary>What the document asks the buyer to pay (an invoice) or gives back (a credit note): total less withholding.</summary>
    public Amount Payable => Total - Withheld;
}
