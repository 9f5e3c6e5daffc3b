using Connector.Mapping.WriteBack;
using Connector.Invoicing.Schedules;

namespace Connector.Mapping.Profile;

/// <summary>The vocabulary of a profile: sources and their billing inputs, write-back targets and their facts.</summary>
internal static class Catalog
{
    public const string Account = "account";
    public const string Order = "order";
    public const string OrderItem = "orderItem";
    public const string Payment = "payment";
    public const string Contract = "contract";
    public const string ConsumptionSchedule = "consumptionSchedule";
    public const string ConsumptionRate = "consumptionRate";
    public const string Usage = "usage";

    /// <summary>The sources in the order a cycle reads them: buyers, orders, their lines and how usage lines are priced, usage, then payments against invoices.</summary>
    public static IReadOnlyList<string> ReadOrder { get; } = [Account, Contract, Order, OrderItem, ConsumptionSchedule, ConsumptionRate, Usage, Payment];

    /// <summary>The sources a profile must map; <see cref="Account"/> is optional (Order's relationship fields also carry the buyer).</summary>
    public static IReadOnlySet<string> RequiredSources { get; } = new HashSet<string>(StringComparer.Ordinal) { Order, OrderItem };

    /// <summary>The buyer as an account record gives it, or an order through its Account relationship.</summary>
    private static readonly InputDefinition[] BuyerInputs =
    [
        new("accountName", InputKind.Text, Required: true),
        new("accountStreet", InputKind.Text),
        new("accountCity", InputKind.Text),
        new("accountPostalCode", InputKind.Text),
        new("accountCountry", InputKind.Text),
        new("accountTaxId", InputKind.Text),
        new("accountLanguage", InputKind.Text),
        new("accountEndpointId", InputKind.Text),
        new("accountEndpointScheme", InputKind.Text),
        new("accountBuyerReference", InputKind.Text),
        new("billingDayOfMonth", InputKind.Number),
    ];

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, InputDefinition>> Sources { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, InputDefinition>>(StringComparer.Ordinal)
        {
            [Account] = Inputs(BuyerInputs),
            [Order] = Inputs(
            [
                new("orderNumber", InputKind.Text, Required: true),
                new("accountId", InputKind.Id, Required: true),
                new("currency", InputKind.Text),
                new("paymentTerm", InputKind.Picklist),
                new("invoiceBatch", InputKind.Text),
                new("legalEntity", InputKind.Text),
                new("billNow", InputKind.Flag),
                .. BuyerInputs,
            ]),
            [OrderItem] = Inputs(
                new("orderId", InputKind.Id, Required: true),
                new("productName", InputKind.Text, Required: true),
                new("productFamily", InputKind.Text),
                new("quantity", InputKind.Number, Required: true, Range: NumberRange.Quantity),
                new("unitPrice", InputKind.Number, Required: true, Range: NumberRange.Money),
                new("totalPrice", InputKind.Number, Range: NumberRange.Money),
                new("startDate", InputKind.Date, Required: true),
                new("endDate", InputKind.Date),
                new("chargeType", InputKind.Picklist, Required: true, Enum.GetNames<ChargeType>()),
                new("billingFrequency", InputKind.Picklist, AllowedValues: Enum.GetNames<BillingFrequency>()),
                new("billingType", InputKind.Picklist, AllowedValues: Enum.GetNames<BillingTiming>()),
                new("subscriptionTerm", InputKind.Number, Range: NumberRange.Months),
                new("prorateMultiplier", InputKind.Number, Range: NumberRange.Months),
                new("accountCountry", InputKind.Text),
                new("accountTaxId", InputKind.Text),
                new("taxRatePercent", InputKind.Number, Range: NumberRange.Percent),
                new("taxExemptReason", InputKind.Text),
                new("withholdingPercent", InputKind.Number, Range: NumberRange.Percent),
                new("revisedLine", InputKind.Id),
                new("holdBilling", InputKind.Picklist, AllowedValues: ["Yes", "No"]),
                new("nextBillingDate", InputKind.Date),
                new("contractId", InputKind.Id)),
            [Contract] = Inputs(
                new InputDefinition("endDate", InputKind.Date, Required: true)),
            [ConsumptionSchedule] = Inputs(
                new("orderItemId", InputKind.Id, Required: true),
                new("type", InputKind.Picklist, Required: true, Enum.GetNames<Invoicing.Usage.ConsumptionType>()),
                new("billingTerm", InputKind.Number, Required: true, Range: new NumberRange(1m, 12m)),
                new("billingTermUnit", InputKind.Picklist, Required: true, ["Month", "Quarter", "Year"]),
                new("unitOfMeasure", InputKind.Text),
                new("matchingAttribute", InputKind.Text),
                new("active", InputKind.Flag)),
            [ConsumptionRate] = Inputs(
                new("scheduleId", InputKind.Id, Required: true),
                new("lowerBound", InputKind.Number, Required: true, Range: new NumberRange(0m, 999_999_999m)),
                new("upperBound", InputKind.Number, Range: new NumberRange(0m, 999_999_999m)),
                new("price", InputKind.Number, Required: true, Range: new NumberRange(0m, Invoicing.Money.BillingLimits.MaxAmount)),
                new("pricingMethod", InputKind.Picklist, Required: true, Enum.GetNames<Invoicing.Usage.PricingMethod>()),
                new("processingOrder", InputKind.Number, Range: new NumberRange(-999_999_999m, 999_999_999m))),
            [Usage] = Inputs(
                new("orderItemId", InputKind.Id, Required: true),
                new("usageDate", InputKind.Date, Required: true),
                new("quantity", InputKind.Number, Required: true, Range: NumberRange.Quantity),
                new("unitOfMeasure", InputKind.Text),
                new("matchingAttribute", InputKind.Text),
                new("usageId", InputKind.Text)),
            [Payment] = Inputs(
                new("accountId", InputKind.Id, Required: true),
                new("amount", InputKind.Number, Required: true, Range: NumberRange.Money),
                new("receivedDate", InputKind.Date, Required: true),
                new("invoiceNumber", InputKind.Text),
                new("status", InputKind.Picklist, AllowedValues: ["Received", "Reversed"])),
        };

    /// <summary>Write-back targets and the facts each can write (camelCase names of the outbox facts).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Facts { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["invoice"] = FactNames<InvoiceFacts>(),
        ["order"] = FactNames<OrderFacts>(),
        ["account"] = FactNames<AccountFacts>(),
        ["creditNote"] = FactNames<CreditNoteFacts>(),
        ["usageSummary"] = FactNames<UsageSummaryFacts>(),
        ["usage"] = FactNames<UsageFacts>(),
    };

    /// <summary>Write-back targets a profile may leave out.</summary>
    public static IReadOnlySet<string> OptionalTargets { get; } = new HashSet<string>(StringComparer.Ordinal) { "account", "creditNote", "usageSummary", "usage" };

    private static Dictionary<string, InputDefinition> Inputs(params InputDefinition[] inputs) =>
        inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);

    private static HashSet<string> FactNames<T>() =>
        typeof(T).GetProperties().Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToHashSet(StringComparer.Ordinal);
}
