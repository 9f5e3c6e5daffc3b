using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;
using Connector.Mapping.Profile;

namespace Connector.Mapping.Transform;

/// <summary>
/// Applies a validated profile: builds the SOQL that reads each source, turns Salesforce records into billing inputs,
/// and never throws for a bad record: it returns the field, the value and the rule that failed.
/// </summary>
public sealed class RecordMapper(MappingProfile profile)
{
    public MappingProfile Profile => profile;

    /// <summary>What to read for one source: the object, its filter, and Id, SystemModstamp and every mapped field path.</summary>
    public SourceQuery QueryFor(string sourceName)
    {
        var source = profile.Sources[sourceName];
        var fields = new[] { "Id", "SystemModstamp" }.Concat(source.Fields.Values).Distinct(StringComparer.OrdinalIgnoreCase);
        return new SourceQuery(source.Object, [.. fields], string.IsNullOrWhiteSpace(source.Where) ? null : source.Where);
    }

    public MapResult<MappedOrder> MapOrder(JsonObject record) => Guard(() =>
    {
        var r = new RecordReader(record, profile.Order.Fields);
        var orderId = Id(record);
        var accountId = r.RequiredText("accountId");
        var currency = r.Text("currency") ?? profile.Defaults.Currency;
        if (!Currency.IsKnown(currency))
        {
            throw new MappingFailure($"{r.Path("currency")} = '{currency}' is not a supported ISO 4217 currency");
        }

        var paymentTermDays = profile.Defaults.PaymentTermDays;
        if (r.Text("paymentTerm") is { } term)
        {
            paymentTermDays = int.Parse(Translate("paymentTerm", r.Path("paymentTerm")!, term), CultureInfo.InvariantCulture);
        }

        var account = new BillingAccount(accountId, r.RequiredText("accountName"), r.Text("accountStreet"), r.Text("accountCity"),
            r.Text("accountPostalCode"), r.Text("accountCountry"), r.Text("accountTaxId"));
        return new MappedOrder(new OrderHeader(orderId, r.RequiredText("orderNumber"), accountId, currency, paymentTermDays), account);
    });

    public MapResult<BillableLine> MapOrderItem(JsonObject record) => Guard(() =>
    {
        var r = new RecordReader(record, profile.OrderItem.Fields);
        var chargeType = Enum.Parse<ChargeType>(Translate("chargeType", r.Path("chargeType")!, r.RequiredText("chargeType")));
        var quantity = r.RequiredDecimal("quantity");
        var unitPrice = r.RequiredDecimal("unitPrice");
        var start = r.RequiredDate("startDate");
        var end = r.Date("endDate");
        if (end is { } e && e < start)
        {
            throw new MappingFailure($"{r.Path("endDate")} = {e:yyyy-MM-dd} is before {r.Path("startDate")} = {start:yyyy-MM-dd}");
        }

        BillingFrequency? frequency = null;
        var timing = BillingTiming.Advance;
        if (chargeType == ChargeType.Recurring)
        {
            frequency = Enum.Parse<BillingFrequency>(Translate("billingFrequency", r.Path("billingFrequency") ?? "billingFrequency",
                r.Text("billingFrequency") ?? throw new MappingFailure($"{r.Path("billingFrequency") ?? "billingFrequency"} is empty (rule: recurring lines need a billing frequency)")));
            if (r.Text("billingType") is { } type)
            {
                timing = Enum.Parse<BillingTiming>(Translate("billingType", r.Path("billingType")!, type));
            }
        }

        var multiplier = r.Decimal("prorateMultiplier") ?? 1m;
        if (multiplier <= 0)
        {
            throw new MappingFailure($"{r.Path("prorateMultiplier")} = {multiplier.ToString(CultureInfo.InvariantCulture)} must be positive");
        }

        return new BillableLine
        {
            LineId = Id(record),
            OrderId = r.RequiredText("orderId"),
            ProductName = r.RequiredText("productName"),
            ChargeType = chargeType,
            Frequency = frequency,
            Timing = timing,
            Quantity = quantity,
            TotalPrice = r.Decimal("totalPrice") ?? unitPrice * quantity,
            StartDate = start,
            EndDate = end,
            SubscriptionTermMonths = r.Decimal("subscriptionTerm"),
            ProrateMultiplier = multiplier,
            TaxRatePercent = r.Decimal("taxRatePercent") ?? TaxRateFor(r.Text("accountCountry")),
        };
    });

    private decimal TaxRateFor(string? country) =>
        country is not null && profile.TaxRates.ByCountry.TryGetValue(country, out var rate) ? rate : profile.Defaults.TaxRatePercent;

    private string Translate(string valueMap, string fieldPath, string value)
    {
        var map = profile.ValueMaps[valueMap];
        return map.TryGetValue(value, out var translated)
            ? translated
            : throw new MappingFailure($"{fieldPath} = '{value}' is not in valueMaps.{valueMap} (known: {string.Join(", ", map.Keys)})");
    }

    private static string Id(JsonObject record) =>
        record["Id"]?.GetValue<string>() is { Length: > 0 } id ? id : throw new MappingFailure("Id is empty");

    private static MapResult<T> Guard<T>(Func<T> map)
        where T : class
    {
        try
        {
            return MapResult<T>.Ok(map());
        }
        catch (MappingFailure failure)
        {
            return MapResult<T>.Fail(failure.Message);
        }
        catch (InvalidOperationException ex)
        {
            // A JSON value of an unexpected kind (a number where text belongs, say).
            return MapResult<T>.Fail("a field holds a value of the wrong type: " + ex.Message);
        }
        catch (FormatException ex)
        {
            return MapResult<T>.Fail("a field holds a value of the wrong format: " + ex.Message);
        }
    }
}
