using System.Globalization;
using Connector.Invoicing.Receivables;

namespace Connector.Invoicing.Usage;

/// <summary>One rate as the org holds it (SBQQ__OrderItemConsumptionRate__c): bounds are decimals there, Number(9,0).</summary>
internal sealed record OrgRate(string Id, int? ProcessingOrder, decimal LowerBound, decimal? UpperBound, decimal Price, string PricingMethod, string ScheduleId = "");

/// <summary>An order product's consumption schedule as the org holds it (SBQQ__OrderItemConsumptionSchedule__c); its rates come apart.</summary>
internal sealed record OrgSchedule(string Id, string LineId, string Type, int BillingTerm, string BillingTermUnit, string? UnitOfMeasure, string? MatchingAttribute, bool Active);

/// <summary>A usage record as it arrives, with where it came from: a source object (and its record id) or a file.</summary>
internal sealed record IncomingUsage(UsageRecord Record, string Source, string? SourceRecordId);

/// <summary>
/// Builds a line's <see cref="ConsumptionSchedule"/> from the org's schedule and rates, as the usage contract's mapping
/// notes ask: rates in processing order (then by lower bound), and bounds that touch (1-10, 10-20, 20-null, as some orgs
/// write them) normalised by treating each upper bound as inclusive (the next lower bound becomes the previous upper
/// bound + 1), each change reported. Anything else the contract refuses (a gap, an overlap, no catch-all rate, a
/// fractional bound, an unknown type or method) is a <see cref="BillingRuleException"/> naming the rate.
/// </summary>
internal static class OrgConsumptionSchedule
{
    public static (ConsumptionSchedule Schedule, IReadOnlyList<string> Changes) Build(string type, int billingTerm, string billingTermUnit, string? unitOfMeasure,
        string? matchingAttribute, IReadOnlyList<OrgRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (!Enum.TryParse<ConsumptionType>(type, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
        {
            throw new BillingRuleException($"its consumption schedule's type '{type}' is not Range or Slab");
        }

        var unitMonths = billingTermUnit switch { "Month" => 1, "Quarter" => 3, "Year" => 12, _ => 0 };
        if (unitMonths == 0)
        {
            throw new BillingRuleException($"its consumption schedule's billing term unit '{billingTermUnit}' is not Month, Quarter or Year");
        }

        var ordered = rates.OrderBy(r => r.ProcessingOrder ?? int.MaxValue).ThenBy(r => r.LowerBound).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var changes = new List<string>();
        var built = new List<(long, long?, decimal, PricingMethod)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var rate = ordered[i];
            var lower = Whole(rate.LowerBound, rate, "lower");
            var upper = rate.UpperBound is { } u ? Whole(u, rate, "upper") : (long?)null;
            if (i > 0 && built[i - 1].Item2 is { } previousUpper && lower == previousUpper)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"rate {rate.Id}: lower bound {lower} touches the previous rate's upper bound; upper bounds are inclusive, so it starts at {previousUpper + 1}"));
                lower = previousUpper + 1;
            }

            if (!Enum.TryParse<PricingMethod>(rate.PricingMethod, ignoreCase: false, out var method) || !Enum.IsDefined(method))
            {
                throw new BillingRuleException($"rate {rate.Id}'s pricing method '{rate.PricingMethod}' is not PerUnit or FlatFee");
            }

            built.Add((lower, upper, rate.Price, method));
        }

        try
        {
            return (ConsumptionSchedule.Create(kind, billingTerm * unitMonths, unitOfMeasure, matchingAttribute, built), changes);
        }
        catch (BillingRuleException e)
        {
            throw new BillingRuleException($"its consumption schedule is not one billing can rate: {e.Message}");
        }
    }

    private static long Whole(decimal bound, OrgRate rate, string which) =>
        bound == decimal.Truncate(bound) && bound is >= 0 and <= 999_999_999
            ? (long)bound
            : throw new BillingRuleException(string.Create(CultureInfo.InvariantCulture, $"rate {rate.Id}'s {which} bound {bound} is not a whole number of units from 0 to 999999999"));
}
