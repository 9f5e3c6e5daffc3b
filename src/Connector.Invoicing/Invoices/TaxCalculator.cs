using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// VAT and withholding of a document, grouped by rate (and exemption reason), always rounded half away from zero.
/// <see cref="TaxRounding.PerRateOnDocument"/> rounds once per group on the summed base (EN 16931 BR-CO-17);
/// <see cref="TaxRounding.PerLine"/> rounds every line's tax and adds them up. Withholding is rounded once per rate.
/// </summary>
internal static class TaxCalculator
{
    public static IReadOnlyList<TaxLine> Taxes(IEnumerable<InvoiceLine> lines, Currency currency, TaxRounding rounding) =>
    [
        .. lines
            .GroupBy(l => (l.TaxRatePercent, l.TaxExemptReason))
            .OrderBy(g => g.Key.TaxRatePercent)
            .ThenBy(g => g.Key.TaxExemptReason, StringComparer.Ordinal)
            .Select(g =>
            {
                var taxBase = Amount.Sum(g.Select(l => l.Net), currency);
                var tax = rounding == TaxRounding.PerLine
                    ? Amount.Sum(g.Select(l => Amount.Round(l.Net.Value * g.Key.TaxRatePercent / 100m, currency)), currency)
                    : Amount.Round(taxBase.Value * g.Key.TaxRatePercent / 100m, currency);
                return new TaxLine(g.Key.TaxRatePercent, taxBase, tax) { ExemptReason = g.Key.TaxExemptReason };
            }),
    ];

    public static IReadOnlyList<WithholdingLine> Withholdings(IEnumerable<InvoiceLine> lines, Currency currency) =>
    [
        .. lines
            .Where(l => l.WithholdingPercent != 0m)
            .GroupBy(l => l.WithholdingPercent)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var taxBase = Amount.Sum(g.Select(l => l.Net), currency);
                return new WithholdingLine(g.Key, taxBase, Amount.Round(taxBase.Value * g.Key / 100m, currency));
            }),
    ];
}
