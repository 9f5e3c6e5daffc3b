using System.Globalization;
using System.Text.Json;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Usage;

namespace Connector.Worker.Simulation;

/// <summary>The usage fields of usage lines, and the top-level usage array (only when the scenario reports usage).</summary>
internal static partial class ScenarioWriter
{
    private static void WriteUsageDetail(Utf8JsonWriter json, UsageDetail usage, Currency currency)
    {
        json.WriteBoolean("late", usage.Late);
        if (usage.Late)
        {
            json.WriteString("billedBefore", Amount.Round(usage.BilledBefore ?? 0m, currency).ToPlainString());
            json.WriteString("periodQuantity", Plain(usage.PeriodQuantity ?? 0m));
        }

        json.WriteStartArray("usage");
        foreach (var id in usage.UsageIds)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
        json.WriteStartArray("tiers");
        foreach (var tier in usage.Tiers)
        {
            json.WriteStartObject();
            json.WriteNumber("rate", tier.Rate.Number);
            json.WriteString("lowerBound", tier.Rate.LowerBound.ToString(CultureInfo.InvariantCulture));
            if (tier.Rate.UpperBound is { } upper)
            {
                json.WriteString("upperBound", upper.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("upperBound");
            }

            json.WriteString("pricingMethod", tier.Rate.PricingMethod.ToString());
            json.WriteString("quantity", Plain(tier.Quantity));
            json.WriteString("price", Plain(tier.Rate.Price));
            json.WriteString("amount", Plain(tier.Amount));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter json, BillingBook book)
    {
        if (book.UsageReports.Count == 0)
        {
            return;
        }

        json.WriteStartArray("usage");
        foreach (var report in book.UsageReports)
        {
            var status = book.StatusOf(report);
            json.WriteStartObject();
            json.WriteString("id", report.Record.Id);
            json.WriteString("line", report.Record.LineId);
            json.WriteString("date", Date(report.Record.Date));
            json.WriteString("quantity", Plain(report.Record.Quantity));
            json.WriteString("status", status.State.ToString());
            WriteNullable(json, "invoice", status.Document);
            WriteNullable(json, "reason", status.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
