using System.Text.Json;
using Connector.Invoicing.Usage;

namespace Connector.Invoicing.Storage;

/// <summary>A usage line's detail (records, tiers, late figures) as the JSON an invoice or credit note line stores beside its columns.</summary>
internal static class UsageDetailJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string? Serialize(UsageDetail? detail) => detail is null ? null : JsonSerializer.Serialize(new Stored(
        detail.UsageIds, detail.UnitOfMeasure, detail.Late, detail.BilledBefore, detail.PeriodQuantity,
        [.. detail.Tiers.Select(t => new StoredTier(t.Rate.Number, t.Rate.LowerBound, t.Rate.UpperBound, t.Rate.Price, t.Rate.PricingMethod.ToString(), t.Quantity, t.Amount))]), Options);

    public static UsageDetail? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json, Options) ?? throw new JsonException("Usage detail JSON is null.");
        return new UsageDetail(stored.UsageIds, stored.UnitOfMeasure,
            [.. stored.Tiers.Select(t => new UsageTier(new ConsumptionRate(t.Rate, t.LowerBound, t.UpperBound, t.Price, Enum.Parse<PricingMethod>(t.PricingMethod)), t.Quantity, t.Amount))],
            stored.Late, stored.BilledBefore, stored.PeriodQuantity);
    }

    private sealed record Stored(IReadOnlyList<string> UsageIds, string? UnitOfMeasure, bool Late, decimal? BilledBefore, decimal? PeriodQuantity, IReadOnlyList<StoredTier> Tiers);

    private sealed record StoredTier(int Rate, long LowerBound, long? UpperBound, decimal Price, string PricingMethod, decimal Quantity, decimal Amount);
}
