using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;
using Connector.Mapping.Profile;

namespace Connector.Mapping.Transform;

/// <summary>
/// Applies a validated profile: says what to read for each source, turns Salesforce records into billing inputs, and
/// never throws for a bad record: it returns the field, the value and the rule that failed, for quarantine.
/// </summary>
internal sealed class RecordMapper(MappingProfile profile)
{
    public MappingProfile Profile => profile;

    /// <summary>What to read for one source: the object, its filter, and Id, SystemModstamp and every mapped field path.</summary>
    public SourceQuery QueryFor(string sourceName)
    {
        var source = profile.Sources[sourceName];
        var fields = new[] { "Id", "SystemModstamp" }.Concat(source.Fields.Values.SelectMany(f => f.Paths)).Distinct(StringComparer.OrdinalIgnoreCase);
        return new SourceQuery(source.Object, [.. fields], string.IsNullOrWhiteSpace(source.Where) ? null : source.Where);
    }

    /// <summary>
    /// Whether an Order record asks to be billed now (its <c>billNow</c> input, e.g. the Connector_Bill_Now__c checkbox,
    /// is true); the field it comes from, to clear it once billed. False when the profile maps no such input.
    /// </summary>
    public (bool Asked, string? Field) BillNow(JsonObject orderRecord)
    {
        ArgumentNullException.ThrowIfNull(orderRecord);
        if (!profile.Order.Fields.TryGetValue("billNow", out var spec) || spec.Paths is not [var field] || field.Contains('.', StringComparison.Ordinal))
        {
            return (false, null);
        }

        var value = orderRecord.FirstOrDefault(p => p.Key.Equals(field, StringComparison.OrdinalIgnoreCase)).Value;
        var asked = value?.GetValueKind() == System.Text.Json.JsonValueKind.True
            || (value?.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>().Equals("true", StringComparison.OrdinalIgnoreCase));
        return (asked, field);
    }

    /// <summary>An Account record (the profile's optional account source) as the buyer invoices name.</summary>
    public MapResult<BillingAccount> MapAccount(JsonObject record) => Guard(() =>
    {
        var source = profile.Account ?? throw new MappingFailure("the profile has no account source");
        var r = new RecordReader(record, source, profile.ValueMaps);
        r.CheckRequired();
        return Buyer(r, source, Id(record));
    });

    /// <summary>The buyer as <paramref name="r"/> maps it; an electronic address needs both its id and a 4-digit scheme code.</summary>
    private static BillingAccount Buyer(RecordReader r, SourceMapping source, string accountId)
    {
        var (endpointId, scheme) = (r.Text("accountEndpointId"), r.Text("accountEndpointScheme"));
        if ((endpointId is null) != (scheme is null))
        {
            throw new MappingFailure($"the electronic address needs both accountEndpointId and accountEndpointScheme; only {(endpointId is null ? "the scheme" : "the id")} is given (rule: accountEndpointScheme)");
        }

        if (scheme is not null && !(scheme.Length == 4 && scheme.All(char.IsAsciiDigit)))
        {
            throw new MappingFailure($"accountEndpointScheme '{scheme}' is not a 4-digit ISO 6523 / Peppol EAS code, e.g. 9920 (Spanish VAT), 0088 (GLN), 0184 (Danish CVR) (rule: accountEndpointScheme)");
        }

        return new BillingAccount(accountId, r.RequiredText("accountName"), r.Text("accountStreet"), r.Text("accountCity"),
            r.Text("accountPostalCode"), r.Text("accountCountry"), r.Text("accountTaxId"), BillingDay(r, source), r.Text("accountLanguage"),
            endpointId, scheme, r.Text("accountBuyerReference"));
    }

    public MapResult<MappedOrder> MapOrder(JsonObject record) => Guard(() =>
    {
        var r = new RecordReader(record, profile.Order, profile.ValueMaps);
        r.CheckRequired();
        var orderId = Id(record);
        var accountId = r.RequiredText("accountId");
        var currency = r.Text("currency") ?? profile.Defaults.Currency;
        if (!Currency.IsKnown(currency))
        {
            throw new MappingFailure($"currency '{currency}' is not a supported ISO 4217 code (rule: currency)");
        }

        var term = r.Picklist("paymentTerm");
        var plan = term is not null && term.Contains('%', StringComparison.Ordinal) ? Invoicing.Terms.PaymentTerms.TryParse(term) : null;
        var paymentTermDays = plan is not null ? plan.Rules[^1].AfterDays
            : term is { } days ? int.Parse(days, CultureInfo.InvariantCulture) : profile.Defaults.PaymentTermDays;
        var account = Buyer(r, profile.Order, accountId);
        return new MappedOrder(new OrderHeader(orderId, r.RequiredText("orderNumber"), accountId, currency, paymentTermDays, r.Text("invoiceBatch"))
        {
            PaymentTerms = plan?.Name, LegalEntity = r.Text("legalEntity"),
        }, account);
    });

    public MapResult<BillableLine> MapOrderItem(JsonObject record) => Guard(() =>
    {
        var r = new RecordReader(record, profile.OrderItem, profile.ValueMaps);
        r.CheckRequired();
        var chargeType = Enum.Parse<ChargeType>(r.RequiredPicklist("chargeType"));
        var quantity = r.RequiredDecimal("quantity");
        var unitPrice = r.RequiredDecimal("unitPrice");
        var start = r.RequiredDate("startDate");
        var end = r.Date("endDate");
        if (end is { } e && e < start)
        {
            throw new MappingFailure($"endDate {e:yyyy-MM-dd} is before startDate {start:yyyy-MM-dd}");
        }

        BillingFrequency? frequency = null;
        var timing = BillingTiming.Advance;
        if (chargeType == ChargeType.Recurring)
        {
            frequency = Enum.Parse<BillingFrequency>(r.Picklist("billingFrequency")
                ?? throw new MappingFailure($"{Paths("billingFrequency")} is empty (rule: recurring lines need a billing frequency)"));
            timing = r.Picklist("billingType") is { } type ? Enum.Parse<BillingTiming>(type) : BillingTiming.Advance;
        }

        var total = r.Decimal("totalPrice") ?? unitPrice * quantity;
        if (!NumberRange.Money.Contains(total))
        {
            throw new MappingFailure($"{Paths("unitPrice")} × {Paths("quantity")} = {total.ToString(CultureInfo.InvariantCulture)} is out of range (rule: a line's total price is {NumberRange.Money})");
        }

        var multiplier = r.Decimal("prorateMultiplier") ?? 1m;
        if (multiplier <= 0)
        {
            throw new MappingFailure($"{Paths("prorateMultiplier")} = {multiplier.ToString(CultureInfo.InvariantCulture)} must be positive (rule: prorateMultiplier)");
        }

        var mappedRate = r.Decimal("taxRatePercent");
        var rule = mappedRate is null ? profile.TaxRates.RuleFor(r.Text("accountCountry"), r.Text("productFamily"), hasTaxId: r.Text("accountTaxId") is not null) : null;
        return new BillableLine
        {
            LineId = Id(record),
            OrderId = r.RequiredText("orderId"),
            ProductName = r.RequiredText("productName"),
            ChargeType = chargeType,
            Frequency = frequency,
            Timing = timing,
            Quantity = quantity,
            TotalPrice = total,
            StartDate = start,
            EndDate = end,
            SubscriptionTermMonths = r.Decimal("subscriptionTerm"),
            ProrateMultiplier = multiplier,
            TaxRatePercent = mappedRate ?? rule?.RatePercent ?? profile.Defaults.TaxRatePercent,
            TaxExemptReason = r.Text("taxExemptReason") ?? (mappedRate is null ? rule?.ExemptReason : null),
            WithholdingPercent = r.Decimal("withholdingPercent") ?? 0m,
            RevisesLineId = r.Text("revisedLine"),
            HoldBilling = r.Picklist("holdBilling") == "Yes",
            NextBillingDate = r.Date("nextBillingDate"),
            ContractId = r.Text("contractId"),
        };
    });

    /// <summary>A contract record of the profile's contract source.</summary>
    public MapResult<ContractTerm> MapContract(JsonObject record) => Guard(() =>
    {
        var source = profile.Contract ?? throw new MappingFailure("the profile has no contract source");
        var r = new RecordReader(record, source, profile.ValueMaps);
        r.CheckRequired();
        return new ContractTerm(Id(record), r.RequiredDate("endDate"));
    });

    /// <summary>An order product's consumption schedule (the profile's consumptionSchedule source); its rates are read apart.</summary>
    public MapResult<Invoicing.Usage.OrgSchedule> MapConsumptionSchedule(JsonObject record) => Guard(() =>
    {
        var source = profile.Sources[Catalog.ConsumptionSchedule];
        var r = new RecordReader(record, source, profile.ValueMaps);
        r.CheckRequired();
        var term = r.RequiredDecimal("billingTerm");
        if (term != decimal.Truncate(term))
        {
            throw new MappingFailure($"{string.Join(" and ", source.Fields["billingTerm"].Paths)} = {term.ToString(CultureInfo.InvariantCulture)} is not a whole number (rule: billingTerm counts whole months, quarters or years)");
        }

        var active = r.Text("active") is not { } flag || !flag.Equals("false", StringComparison.OrdinalIgnoreCase);
        return new Invoicing.Usage.OrgSchedule(Id(record), r.RequiredText("orderItemId"), r.RequiredPicklist("type"), (int)term, r.RequiredPicklist("billingTermUnit"),
            r.Text("unitOfMeasure"), r.Text("matchingAttribute"), active);
    });

    /// <summary>A rate of a consumption schedule (the profile's consumptionRate source).</summary>
    public MapResult<Invoicing.Usage.OrgRate> MapConsumptionRate(JsonObject record) => Guard(() =>
    {
        var r = new RecordReader(record, profile.Sources[Catalog.ConsumptionRate], profile.ValueMaps);
        r.CheckRequired();
        var order = r.Decimal("processingOrder");
        return new Invoicing.Usage.OrgRate(Id(record), order is { } o ? (int)decimal.Truncate(o) : null, r.RequiredDecimal("lowerBound"), r.Decimal("upperBound"),
            r.RequiredDecimal("price"), r.RequiredPicklist("pricingMethod"), r.RequiredText("scheduleId"));
    });

    /// <summary>A usage record (the profile's usage source, e.g. Connector_Usage__c): idempotent by its usage id, else by its record id.</summary>
    public MapResult<Invoicing.Usage.IncomingUsage> MapUsage(JsonObject record, string sourceObject) => Guard(() =>
    {
        var r = new RecordReader(record, profile.Sources[Catalog.Usage], profile.ValueMaps);
        r.CheckRequired();
        var id = Id(record);
        var usageId = r.Text("usageId") ?? id;
        if (usageId.Length > 80)
        {
            throw new MappingFailure($"usageId '{RecordReader.Shown(usageId)}' is longer than 80 characters (rule: a usage id is at most 80 characters)");
        }

        var usage = new Invoicing.Usage.UsageRecord(usageId, r.RequiredText("orderItemId"), r.RequiredDate("usageDate"), r.RequiredDecimal("quantity"),
            r.Text("unitOfMeasure"), r.Text("matchingAttribute")) { Source = id };
        return new Invoicing.Usage.IncomingUsage(usage, sourceObject, id);
    });

    private static int? BillingDay(RecordReader r, SourceMapping source)
    {
        if (r.Decimal("billingDayOfMonth") is not { } day)
        {
            return null;
        }

        return day is >= 1 and <= 31 && decimal.Truncate(day) == day
            ? (int)day
            : throw new MappingFailure($"{string.Join(" and ", source.Fields["billingDayOfMonth"].Paths)} = {day.ToString(CultureInfo.InvariantCulture)} is not a billing day (rule: billingDayOfMonth is a whole number from 1 to 31)");
    }

    /// <summary>A payment record of the profile's payment source.</summary>
    public MapResult<Invoicing.Receivables.IncomingPayment> MapPayment(JsonObject record) => Guard(() =>
    {
        var source = profile.Payment ?? throw new MappingFailure("the profile has no payment source");
        var r = new RecordReader(record, source, profile.ValueMaps);
        r.CheckRequired();
        var amount = r.RequiredDecimal("amount");
        if (amount <= 0m)
        {
            throw new MappingFailure($"{string.Join(" and ", source.Fields["amount"].Paths)} = {amount.ToString(CultureInfo.InvariantCulture)} is not a payment (rule: amount is positive; a returned payment is a reversal)");
        }

        return new Invoicing.Receivables.IncomingPayment(Id(record), r.RequiredText("accountId"), amount, r.RequiredDate("receivedDate"),
            r.Text("invoiceNumber"), r.Picklist("status") == "Reversed");
    });

    /// <summary>
    /// Maps a record of <paramref name="sourceName"/> into what it feeds in <paramref name="batch"/> (billing's side of a page of records); returns the problem
    /// (field, value, rule) when it cannot, for quarantine.
    /// </summary>
    public string? MapInto(string sourceName, JsonObject record, OrderChanges batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        switch (sourceName)
        {
            case Catalog.Account:
                var account = MapAccount(record);
                if (account.Value is { } buyer)
                {
                    batch.Accounts.Add(buyer);
                }

                return account.Problem;
            case Catalog.Order:
                var order = MapOrder(record);
                if (order.Value is { } mapped)
                {
                    batch.Orders.Add(mapped.Header);
                    batch.Accounts.Add(mapped.Account);
                }

                return order.Problem;
            case Catalog.Contract:
                var contract = MapContract(record);
                if (contract.Value is { } term)
                {
                    batch.Contracts.Add(term);
                }

                return contract.Problem;
            case Catalog.Payment:
                var payment = MapPayment(record);
                if (payment.Value is { } received)
                {
                    batch.Payments.Add(received);
                }

                return payment.Problem;
            case Catalog.ConsumptionSchedule:
                return Collect(MapConsumptionSchedule(record), batch.Schedules);
            case Catalog.ConsumptionRate:
                return Collect(MapConsumptionRate(record), batch.Rates);
            case Catalog.Usage:
                return Collect(MapUsage(record, profile.Sources[Catalog.Usage].Object), batch.Usage);
            default:
                var line = MapOrderItem(record);
                if (line.Value is { } billable)
                {
                    batch.Lines.Add(billable);
                }

                return line.Problem;
        }
    }

    private static string? Collect<T>(MapResult<T> result, List<T> into)
        where T : class
    {
        if (result.Value is { } value)
        {
            into.Add(value);
        }

        return result.Problem;
    }

    private string Paths(string input) =>
        profile.OrderItem.Fields.TryGetValue(input, out var spec) && spec.Paths.Count > 0 ? string.Join(" and ", spec.Paths) : input;

    private static string Id(JsonObject record) =>
        record["Id"]?.GetValue<string>() is { Length: > 0 } id
            ? RecordReader.IsSalesforceId(id) ? id : throw new MappingFailure($"Id = '{RecordReader.Shown(id)}' is not a Salesforce record id (15 or 18 letters and digits)")
            : throw new MappingFailure("Id is empty");

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
        catch (ArithmeticException ex)
        {
            // Overflow or division by zero from a value no range caught: the record, not the run, fails.
            return MapResult<T>.Fail("a value is beyond what billing can compute: " + ex.Message);
        }
        catch (ArgumentException ex)
        {
            return MapResult<T>.Fail("a value is not one billing accepts: " + ex.Message);
        }
    }
}
