using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>VAT per rate on the document: sum the net of each rate's lines, then round once, half away from zero.</summary>
public static class TaxCalculator
{
    public static IReadOnlyList<TaxLine> PerRateOnDocument(IEnumerable<InvoiceLine> lines, Currency currency) =>
    [
        .. lines
            .GroupBy(l => l.TaxRatePercent)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var taxBase = Amount.Sum(g.Select(l => l.Net), currency);
                return new TaxLine(g.Key, taxBase, Amount.Round(taxBase.Value * g.Key / 100m, currency));
            }),
    ];
}
