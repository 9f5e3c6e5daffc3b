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

    /// <summary>
    /// The totals as posted, when the document was read without its lines (a book loads a posted invoice's lines, taxes
    /// and withholdings only when something asks for them); null: they are computed from the lines.
    /// </summary>
    public PostedTotals? Totals { get; init; }

    public Amount Net => Totals?.Net ?? Amount.Sum(Lines.Select(l => l.Net), Currency);

    public Amount Tax => Totals?.Tax ?? Amount.Sum(Taxes.Select(t => t.Tax), Currency);

    public Amount Total => Net + Tax;

    public Amount Withheld => Totals?.Withheld ?? Amount.Sum(Withholdings.Select(w => w.Withheld), Currency);

    /// <summary>What the document asks the buyer to pay (an invoice) or gives back (a credit note): total less withholding.</summary>
    public Amount Payable => Total - Withheld;
}

/// <summary>A posted document's net, tax and withheld amounts as stored with it.</summary>
internal sealed record PostedTotals(Amount Net, Amount Tax, Amount Withheld);
