using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Usage;

namespace Connector.Worker.Simulation;

/// <summary>Usage lines (with their consumption schedule) and usage events, as docs/scenario-format.md's usage section gives them.</summary>
internal static partial class ScenarioReader
{
    private static NewLine? ReadUsageLine(JsonNode item)
    {
        if (!item.ExpectObject("id", "product", "chargeType", "billingType", "start", "end", "taxRate", "taxExemptReason", "withholdingRate", "consumptionSchedule"))
        {
            return null;
        }

        var id = item.String("id", required: true);
        var product = item.String("product", required: true);
        var timing = item.Enum<Connector.Invoicing.Schedules.BillingTiming>("billingType");
        if (timing == Connector.Invoicing.Schedules.BillingTiming.Advance)
        {
            item.Problem("billingType", "usage is billed in arrears; remove billingType or make it \"Arrears\".");
        }

        var start = item.Date("start", required: true);
        var end = item.Date("end");
        var taxRate = item.Decimal("taxRate", min: 0m, max: 100m, bounds: "a VAT rate is a percent from 0 to 100") ?? 0m;
        var exempt = item.String("taxExemptReason");
        var withholding = item.Decimal("withholdingRate", min: 0m, max: 100m, bounds: "a withholding rate is a percent from 0 to 100") ?? 0m;
        if (exempt is not null && taxRate != 0m)
        {
            item.Problem($"taxExemptReason is only for zero-rated lines; this line's taxRate is {taxRate}.");
        }

        if (start is { } s && end is { } e && e < s)
        {
            item.Problem($"end {e:yyyy-MM-dd} is before start {s:yyyy-MM-dd}; service periods are inclusive at both ends.");
        }

        var schedule = item.Has("consumptionSchedule") ? ReadConsumptionSchedule(item.Child("consumptionSchedule")) : null;
        if (!item.Has("consumptionSchedule"))
        {
            item.Problem("consumptionSchedule", "required; a Usage line is priced by its consumption schedule (type, billingTerm, billingTermUnit, rates).");
        }

        return id is null || product is null || start is null || schedule is null
            ? null
            : new NewLine
            {
                Id = id, Product = product, ChargeType = Connector.Invoicing.Schedules.ChargeType.Usage, UnitPrice = 0m, Quantity = 0m,
                Start = start.Value, End = end, TaxRate = taxRate, TaxExemptReason = exempt, WithholdingPercent = withholding, Consumption = schedule,
            };
    }

    private static ConsumptionSchedule? ReadConsumptionSchedule(JsonNode node)
    {
        if (!node.ExpectObject("type", "ratingMethod", "billingTerm", "billingTermUnit", "unitOfMeasure", "matchingAttribute", "rates"))
        {
            return null;
        }

        var type = node.Enum<ConsumptionType>("type", required: true);
        if (node.String("ratingMethod") is { } method && method != "Tier")
        {
            node.Problem("ratingMethod", $"'{method}' is not allowed; Tier is the only rating method.");
        }

        var term = node.Int("billingTerm", 1, 12, required: true);
        var unit = node.String("billingTermUnit", required: true);
        int? unitMonths = unit switch { null => null, "Month" => 1, "Quarter" => 3, "Year" => 12, _ => null };
        if (unit is not null && unitMonths is null)
        {
            node.Problem("billingTermUnit", $"'{unit}' is not allowed; use one of Month, Quarter, Year.");
        }

        var months = term * unitMonths;
        if (months is { } m && m is not (1 or 3 or 6 or 12))
        {
            node.Problem("billingTerm", $"{term} {unit} makes a billing period of {m} months; a period is 1, 3, 6 or 12 months.");
        }

        var rates = new List<(int Order, int Index, long Lower, long? Upper, decimal Price, PricingMethod Method)>();
        var index = 0;
        foreach (var rate in node.Array("rates", required: true))
        {
            if (ReadRate(rate, index++) is { } read)
            {
                rates.Add(read);
            }
        }

        if (node.Has("rates") && index == 0)
        {
            node.Problem("rates", "a consumption schedule needs at least one rate.");
        }

        if (type is null || months is not (1 or 3 or 6 or 12) || rates.Count != index || index == 0)
        {
            return null;
        }

        try
        {
            return ConsumptionSchedule.Create(type.Value, months.Value, node.String("unitOfMeasure"), node.String("matchingAttribute"),
                [.. rates.OrderBy(r => r.Order).ThenBy(r => r.Index).Select(r => (r.Lower, r.Upper, r.Price, r.Method))]);
        }
        catch (Connector.Invoicing.Receivables.BillingRuleException e)
        {
            node.Problem("rates", e.Message);
            return null;
        }
    }

    private static (int Order, int Index, long Lower, long? Upper, decimal Price, PricingMethod Method)? ReadRate(JsonNode rate, int index)
    {
        if (!rate.ExpectObject("lowerBound", "upperBound", "price", "pricingMethod", "processingOrder"))
        {
            return null;
        }

        var lower = Bound(rate, "lowerBound", required: true);
        var upper = Bound(rate, "upperBound", required: false);
        var price = rate.Decimal("price", required: true, min: 0m, max: BillingLimits.MaxAmount, bounds: "a rate's price is 0 or more");
        var method = rate.Enum<PricingMethod>("pricingMethod", required: true);
        var order = rate.Has("processingOrder") ? rate.Int("processingOrder", -999_999_999, 999_999_999) : index;
        return lower is null || price is null || method is null || order is null || (rate.Has("upperBound") && upper is null)
            ? null
            : (order.Value, index, lower.Value, upper, price.Value, method.Value);
    }

    /// <summary>A bound: a whole number of units (Salesforce's Number(9,0)) in a JSON string.</summary>
    private static long? Bound(JsonNode rate, string key, bool required)
    {
        var value = rate.Decimal(key, required, min: 0m, max: 999_999_999m, bounds: "a bound is a whole number of units from 0 to 999999999");
        if (value is { } v && v != decimal.Truncate(v))
        {
            rate.Problem(key, $"{v.ToString(CultureInfo.InvariantCulture)} is not a whole number; bounds count whole units.");
            return null;
        }

        return value is { } whole ? (long)whole : null;
    }

    private static Action<BillingBook>? ReadUsage(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["id", "line", "date", "quantity", "unitOfMeasure", "matchingAttribute"]))
        {
            return null;
        }

        var id = node.String("id", required: true);
        var line = Line(node, known);
        var date = node.Date("date", required: true);
        var quantity = node.Decimal("quantity", required: true, min: -BillingLimits.MaxQuantity, max: BillingLimits.MaxQuantity, bounds: "a usage quantity is from -1000000000 to 1000000000");
        if (quantity is { } q && q != decimal.Round(q, 9, MidpointRounding.ToEven))
        {
            node.Problem("quantity", $"{q.ToString(CultureInfo.InvariantCulture)} has more than 9 decimals.");
        }

        if (date is { } d && d > on)
        {
            node.Problem("date", $"{d:yyyy-MM-dd} is after the day it was reported ({on:yyyy-MM-dd}); usage is reported on or after the day it was consumed.");
        }

        if (id is null || line is null || date is null || quantity is null)
        {
            return null;
        }

        var record = new UsageRecord(id, line, date.Value, quantity.Value, node.String("unitOfMeasure"), node.String("matchingAttribute")) { Source = EventName(node.Path) };
        return book => book.ReportUsage(record);
    }

    /// <summary>"$.events[4]" → "event 4" (the index in the events array, as the JSON path counts).</summary>
    private static string EventName(string path) =>
        EventIndex().Match(path) is { Success: true } match ? $"event {match.Groups[1].Value}" : path;

    [GeneratedRegex(@"\[(\d+)\]$")]
    private static partial Regex EventIndex();
}
