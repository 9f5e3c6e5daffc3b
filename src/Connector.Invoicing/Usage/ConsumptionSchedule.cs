using System.Globalization;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Usage;

/// <summary>How a period's usage total is priced over the rates: CPQ's ConsumptionSchedule.Type.</summary>
internal enum ConsumptionType
{
    /// <summary>Volume: the one rate that holds the whole total prices all of it.</summary>
    Range,

    /// <summary>Graduated: each rate prices the units that fall within its bounds.</summary>
    Slab,
}

/// <summary>CPQ's ConsumptionRate.PricingMethod.</summary>
internal enum PricingMethod
{
    /// <summary>The price times the units the rate prices.</summary>
    PerUnit,

    /// <summary>The price once, whatever the number of units the rate prices.</summary>
    FlatFee,
}

/// <summary>
/// One consumption rate: units <see cref="LowerBound"/> to <see cref="UpperBound"/>, both inclusive and counted in whole
/// units (a quantity q lies in it when LowerBound − 1 &lt; q ≤ UpperBound); the last rate has no upper bound.
/// <see cref="Number"/> is its 1-based place in processing order.
/// </summary>
internal sealed record ConsumptionRate(int Number, long LowerBound, long? UpperBound, decimal Price, PricingMethod PricingMethod)
{
    /// <summary>The quantity below this rate: units above it fall in the rate (0 for the first rate, whose lower bound is 0 or 1).</summary>
    public long Floor => Math.Max(0, LowerBound - 1);

    public string Bounds => UpperBound is { } upper
        ? string.Create(CultureInfo.InvariantCulture, $"{LowerBound}..{upper}")
        : string.Create(CultureInfo.InvariantCulture, $"{LowerBound}..");
}

/// <summary>
/// A usage line's consumption schedule (CPQ's SBQQ__OrderItemConsumptionSchedule__c with its rates): the billing period
/// (1, 3, 6 or 12 months), how a period total is rated, and the unit of measure and matching attribute usage must carry.
/// Rates are in processing order, touch without gaps or overlaps (each starts at the previous upper bound + 1) and end
/// with a catch-all rate; <see cref="Create"/> refuses anything else.
/// </summary>
internal sealed record ConsumptionSchedule
{
    private ConsumptionSchedule(ConsumptionType type, BillingFrequency frequency, string? unitOfMeasure, string? matchingAttribute, IReadOnlyList<ConsumptionRate> rates) =>
        (Type, Frequency, UnitOfMeasure, MatchingAttribute, Rates) = (type, frequency, unitOfMeasure, matchingAttribute, rates);

    public ConsumptionType Type { get; }

    public BillingFrequency Frequency { get; }

    public string? UnitOfMeasure { get; }

    public string? MatchingAttribute { get; }

    public IReadOnlyList<ConsumptionRate> Rates { get; }

    /// <summary>Checks and builds a schedule; <paramref name="rates"/> are (lower, upper, price, method) in processing order.</summary>
    public static ConsumptionSchedule Create(ConsumptionType type, int months, string? unitOfMeasure, string? matchingAttribute,
        IReadOnlyList<(long Lower, long? Upper, decimal Price, PricingMethod Method)> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (months is not (1 or 3 or 6 or 12))
        {
            throw new BillingRuleException(Invariant($"A consumption schedule's billing period is 1, 3, 6 or 12 months (billing term × unit); {months} is not."));
        }

        if (rates.Count == 0)
        {
            throw new BillingRuleException("A consumption schedule needs at least one rate, the last without an upper bound.");
        }

        var built = new List<ConsumptionRate>();
        for (var i = 0; i < rates.Count; i++)
        {
            var (lower, upper, price, method) = rates[i];
            var expected = i == 0 ? "0 or 1" : Invariant($"{rates[i - 1].Upper + 1} (the previous rate's upper bound + 1)");
            if ((i == 0 && lower is not (0 or 1)) || (i > 0 && lower != rates[i - 1].Upper + 1))
            {
                throw new BillingRuleException(Invariant($"Rate {i + 1} starts at {lower}; it must start at {expected}: both bounds are inclusive, in whole units, without gaps or overlaps."));
            }

            if (upper is null && i < rates.Count - 1)
            {
                throw new BillingRuleException(Invariant($"Rate {i + 1} has no upper bound but is not the last rate; only the last rate is open-ended."));
            }

            if (upper is { } u && (i == rates.Count - 1 || u < Math.Max(lower, 1)))
            {
                throw new BillingRuleException(i == rates.Count - 1
                    ? Invariant($"The last rate ({i + 1}) has upper bound {u}; it must have none, so every quantity has a rate (a catch-all rate).")
                    : Invariant($"Rate {i + 1} runs from {lower} to {u}; its upper bound must be at least its lower bound."));
            }

            if (price < 0m)
            {
                throw new BillingRuleException(Invariant($"Rate {i + 1} has price {price}; a consumption rate's price is 0 or more."));
            }

            built.Add(new ConsumptionRate(i + 1, lower, upper, price, method));
        }

        return new ConsumptionSchedule(type, (BillingFrequency)months, unitOfMeasure, matchingAttribute, built);
    }

    /// <summary>
    /// Rates a period total, exactly (no rounding). Range: the rate that holds the total prices all of it. Slab: rate i
    /// prices min(total, its upper bound) − its floor units when the total exceeds its floor. A total of 0 prices nothing.
    /// </summary>
    public UsageRating Rate(decimal total)
    {
        if (total < 0m)
        {
            throw new BillingRuleException(Invariant($"A usage total of {total} cannot be rated; a period's usage never goes below 0."));
        }

        var tiers = new List<UsageTier>();
        if (total > 0m)
        {
            if (Type == ConsumptionType.Range)
            {
                var rate = Rates.First(r => total > r.Floor && (r.UpperBound is null || total <= r.UpperBound));
                tiers.Add(Tier(rate, total));
            }
            else
            {
                foreach (var rate in Rates.TakeWhile(r => total > r.Floor))
                {
                    tiers.Add(Tier(rate, (rate.UpperBound is { } upper && upper < total ? upper : total) - rate.Floor));
                }
            }
        }

        return new UsageRating(this, total, tiers);
    }

    /// <summary>
    /// A usage line's terms: this schedule's billing period, in arrears, from <paramref name="start"/> to
    /// <paramref name="end"/> (inclusive; null is evergreen); nothing is priced per period, the usage is rated.
    /// </summary>
    public ChargeTerms Terms(string lineId, DateOnly start, DateOnly? end) => new()
    {
        LineId = lineId, ChargeType = ChargeType.Usage, Frequency = Frequency, Timing = BillingTiming.Arrears,
        Start = start, End = end, Quantity = 0m, UnitPrice = 0m, PeriodAmount = 0m,
    };

    /// <summary>Why a usage record does not belong to this schedule: a unit of measure or matching attribute it gives that differs; null when it belongs.</summary>
    public string? Mismatch(string? unitOfMeasure, string? matchingAttribute) =>
        unitOfMeasure is not null && !string.Equals(unitOfMeasure, UnitOfMeasure, StringComparison.Ordinal)
            ? $"unit of measure {Quoted(unitOfMeasure)} differs from the schedule's {Quoted(UnitOfMeasure)}"
            : matchingAttribute is not null && !string.Equals(matchingAttribute, MatchingAttribute, StringComparison.Ordinal)
                ? $"matching attribute {Quoted(matchingAttribute)} differs from the schedule's {Quoted(MatchingAttribute)}"
                : null;

    private static UsageTier Tier(ConsumptionRate rate, decimal units) =>
        new(rate, units, rate.PricingMethod == PricingMethod.FlatFee ? rate.Price : units * rate.Price);

    private static string Quoted(string? value) => value is null ? "(none)" : $"'{value}'";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
