using Connector.Invoicing.Billing;
using Connector.Invoicing.Schedules;

namespace Connector.Worker.Simulation;

internal static partial class ScenarioReader
{
    private static Action<BillingBook>? ReadOrder(JsonNode node, Known known)
    {
        if (!Expect(node, ["account", "order", "amends", "lines", "currency", "invoiceBatch"]))
        {
            return null;
        }

        var account = Account(node, known);
        var order = node.String("order", required: true);
        var amends = node.String("amends");
        var currency = ReadCurrency(node, "currency");
        var batch = node.String("invoiceBatch");
        var lines = new List<NewLine>();
        var revisions = new List<Revision>();
        foreach (var item in node.Array("lines", required: true))
        {
            if (item.Has("revises"))
            {
                if (ReadRevision(item, known) is { } revision)
                {
                    revisions.Add(revision);
                }
            }
            else if ((item.IsObject && item.Element.TryGetProperty("chargeType", out var kind) && kind.ValueKind == System.Text.Json.JsonValueKind.String && kind.GetString() == "Usage"
                ? ReadUsageLine(item) : ReadLine(item)) is { } line)
            {
                lines.Add(line);
            }

            if (item.String("id") is { } id && !known.Lines.Add(id))
            {
                item.Problem($"line id '{id}' is already used by an earlier line; every line, amendments included, needs its own id.");
            }
        }

        if (revisions.Count > 0 && amends is null)
        {
            node.Problem("lines that revise earlier lines belong to an amending order; name the amended order in 'amends'.");
        }

        if (account is null || order is null)
        {
            return null;
        }

        return book =>
        {
            if (lines.Count > 0)
            {
                book.AddOrder(account.Id, order, lines, currency, batch);
            }

            if (revisions.Count > 0)
            {
                book.Amend(order, revisions);
            }
        };
    }

    private static NewLine? ReadLine(JsonNode item)
    {
        if (!item.ExpectObject("id", "product", "chargeType", "billingFrequency", "billingType", "unitPrice", "quantity", "start", "end",
                "taxRate", "taxExemptReason", "withholdingRate", "reason"))
        {
            return null;
        }

        var id = item.String("id", required: true);
        var product = item.String("product", required: true);
        var chargeType = item.Enum<ChargeType>("chargeType", required: true);
        if (chargeType == ChargeType.Usage)
        {
            return null; // ReadUsageLine reads usage lines
        }

        var frequency = item.Enum<BillingFrequency>("billingFrequency", required: chargeType == ChargeType.Recurring);
        var timing = item.Enum<BillingTiming>("billingType") ?? BillingTiming.Advance;
        var price = item.Decimal("unitPrice", required: true);
        var quantity = item.Decimal("quantity", required: true, min: 0m, max: Connector.Invoicing.Money.BillingLimits.MaxQuantity, bounds: "a quantity is from 0 to 1000000000; lower a quantity with an amending order");
        var start = item.Date("start", required: true);
        var end = item.Date("end");
        var taxRate = item.Decimal("taxRate", min: 0m, max: 100m, bounds: "a VAT rate is a percent from 0 to 100") ?? 0m;
        var exempt = item.String("taxExemptReason");
        var withholding = item.Decimal("withholdingRate", min: 0m, max: 100m, bounds: "a withholding rate is a percent from 0 to 100") ?? 0m;
        if (price < 0m && item.String("reason") is null)
        {
            item.Problem($"unitPrice {price} is negative; a negative price (a discount or a goodwill line) needs a 'reason'.");
        }

        if (exempt is not null && taxRate != 0m)
        {
            item.Problem($"taxExemptReason is only for zero-rated lines; this line's taxRate is {taxRate}.");
        }

        if (chargeType == ChargeType.OneTime && item.Has("billingFrequency"))
        {
            item.Problem("a OneTime line has no billingFrequency; remove it or make the line Recurring.");
        }

        if (start is { } s && end is { } e && e < s)
        {
            item.Problem($"end {e:yyyy-MM-dd} is before start {s:yyyy-MM-dd}; service periods are inclusive at both ends.");
        }

        if (id is null || product is null || chargeType is null || price is null || quantity is null || start is null)
        {
            return null;
        }

        return new NewLine
        {
            Id = id, Product = product, ChargeType = chargeType.Value, Frequency = frequency, Timing = timing, UnitPrice = price.Value,
            Quantity = quantity.Value, Start = start.Value, End = end, TaxRate = taxRate, TaxExemptReason = exempt, WithholdingPercent = withholding,
        };
    }

    private static Revision? ReadRevision(JsonNode item, Known known)
    {
        if (!item.ExpectObject("id", "revises", "quantity", "start", "unitPrice"))
        {
            return null;
        }

        var id = item.String("id", required: true);
        var revises = Line(item, known, "revises");
        var quantity = item.Decimal("quantity", required: true, min: 0m, max: Connector.Invoicing.Money.BillingLimits.MaxQuantity, bounds: "the revised line's new total quantity is from 0 to 1000000000");
        var start = item.Date("start", required: true);
        var price = item.Decimal("unitPrice");
        return id is null || revises is null || quantity is null || start is null ? null : new Revision(id, revises, quantity.Value, start.Value, price);
    }
}
