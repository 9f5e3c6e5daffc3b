using System.Globalization;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Usage;

/// <summary>What one rate priced of a period total: its units (Range: the whole total) and its exact amount.</summary>
internal sealed record UsageTier(ConsumptionRate Rate, decimal Quantity, decimal Amount)
{
    public string Formula => Rate.PricingMethod == PricingMethod.FlatFee
        ? Invariant($"rate {Rate.Number} ({Rate.Bounds}) {Plain(Quantity)} units, flat fee {Plain(Rate.Price)}")
        : Invariant($"rate {Rate.Number} ({Rate.Bounds}) {Plain(Quantity)} × {Plain(Rate.Price)} = {Plain(Amount)}");

    internal static string Plain(decimal value) => DecimalText.Plain(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A period total rated by a consumption schedule: the tiers that priced something, in order, and their exact sum. The
/// line's amount is <see cref="Exact"/> rounded once, half away from zero, to the currency's minor unit.
/// </summary>
internal sealed record UsageRating(ConsumptionSchedule Schedule, decimal Total, IReadOnlyList<UsageTier> Tiers)
{
    public decimal Exact => Tiers.Sum(t => t.Amount);

    public Amount Net(Currency currency) => Amount.Round(Exact, currency);

    /// <summary>"160 Minute, Range: rate 3 (101..) 160 × 9 = 1440 → 1440.00".</summary>
    public string Formula(Currency currency)
    {
        var quantity = Schedule.UnitOfMeasure is { } unit ? $"{UsageTier.Plain(Total)} {unit}" : UsageTier.Plain(Total);
        var tiers = Tiers.Count == 0 ? "nothing to rate" : string.Join("; ", Tiers.Select(t => t.Formula));
        return $"{quantity}, {Schedule.Type}: {tiers} → {Net(currency).ToPlainString()}";
    }
}

/// <summary>
/// What a usage document line carries beyond a line's base fields: the usage records it includes, the rating of the
/// period total (for a late line, of the new total) and, for a late line, the net amount billed before and the new total.
/// </summary>
internal sealed record UsageDetail(
    IReadOnlyList<string> UsageIds,
    string? UnitOfMeasure,
    IReadOnlyList<UsageTier> Tiers,
    bool Late,
    decimal? BilledBefore = null,
    decimal? PeriodQuantity = null);
