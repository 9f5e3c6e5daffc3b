using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;

namespace Connector.Sandbox;

/// <summary>
/// The sandbox org's starting data: three accounts, CPQ products, and activated orders with one-time and recurring
/// lines priced as CPQ prices them (TotalPrice covers the whole term). Dates are relative to the first day of the
/// current month, so the data is the same for every run in a month. Acme's API calls are billed by usage (a consumption
/// schedule and usage records); Initech's legacy Usage line has no schedule, so it is quarantined with what is missing;
/// one order is still Draft and must not be billed.
/// </summary>
internal static class SandboxSeed
{
    public static void Default(SandboxData data, DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        var stamp = SandboxData.Stamp(new DateTimeOffset(month.AddDays(-1).ToDateTime(new TimeOnly(23, 0)), TimeSpan.Zero));

        var acme = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Acme Iberia SL", ["BillingStreet"] = "Calle de Alcalá 42", ["BillingCity"] = "Madrid",
            ["BillingPostalCode"] = "28014", ["BillingCountry"] = "ES",
        });
        var globex = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Globex GmbH", ["BillingStreet"] = "Friedrichstraße 100", ["BillingCity"] = "Berlin",
            ["BillingPostalCode"] = "10117", ["BillingCountry"] = "DE",
        });
        var initech = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Initech Ltd", ["BillingStreet"] = "1 Office Park", ["BillingCity"] = "London",
            ["BillingPostalCode"] = "EC1A 1BB", ["BillingCountry"] = "GB",
        });

        var platform = Add(data, "Product2", stamp, new JsonObject { ["Name"] = "Platform Subscription", ["ProductCode"] = "PLAT", ["Family"] = "Software", ["IsActive"] = true });
        var support = Add(data, "Product2", stamp, new JsonObject { ["Name"] = "Premium Support", ["ProductCode"] = "SUPP", ["Family"] = "Services", ["IsActive"] = true });
        var onboarding = Add(data, "Product2", stamp, new JsonObject { ["Name"] = "Onboarding Package", ["ProductCode"] = "ONB", ["Family"] = "Services", ["IsActive"] = true });
        var apiCalls = Add(data, "Product2", stamp, new JsonObject { ["Name"] = "API Overage", ["ProductCode"] = "API", ["Family"] = "Usage", ["IsActive"] = true });

        // Acme: 10 seats for 12 months from two months ago, 12,000.00 for the term (100.00 a month), plus onboarding.
        var acmeStart = month.AddMonths(-2);
        var acmeOrder = Order(data, stamp, acme, "00000101", acmeStart, "Net 30");
        Line(data, stamp, acmeOrder, platform, 10, 1_200m, acmeStart, acmeStart.AddMonths(12).AddDays(-1), "Recurring", "Monthly", "Advance", 12);
        Line(data, stamp, acmeOrder, onboarding, 1, 2_500m, acmeStart, null, "One-Time", null, null, null);

        // Acme also pays for API calls by usage: a consumption schedule (Slab: the first 10,000 calls a month at 0.002,
        // the rest at 0.001) with usage records for the last two months, billed in arrears.
        var calls = Add(data, "Product2", stamp, new JsonObject { ["Name"] = "API Calls", ["ProductCode"] = "CALLS", ["Family"] = "Usage", ["IsActive"] = true });
        var usageLine = Line(data, stamp, acmeOrder, calls, 1, 0m, acmeStart, acmeStart.AddMonths(12).AddDays(-1), "Usage", "Monthly", "Arrears", 12);
        var schedule = Add(data, "SBQQ__OrderItemConsumptionSchedule__c", stamp, new JsonObject
        {
            ["SBQQ__OrderItem__c"] = usageLine, ["SBQQ__Type__c"] = "Slab", ["SBQQ__RatingMethod__c"] = "Tier", ["SBQQ__BillingTerm__c"] = 1m,
            ["SBQQ__BillingTermUnit__c"] = "Month", ["SBQQ__Category__c"] = "Rates", ["SBQQ__UnitOfMeasure__c"] = "Call",
        });
        Add(data, "SBQQ__OrderItemConsumptionRate__c", stamp, new JsonObject
        {
            ["SBQQ__OrderItemConsumptionSchedule__c"] = schedule, ["SBQQ__LowerBound__c"] = 1m, ["SBQQ__UpperBound__c"] = 10_000m, ["SBQQ__Price__c"] = 0.002m,
            ["SBQQ__PricingMethod__c"] = "PerUnit", ["SBQQ__ProcessingOrder__c"] = 1m,
        });
        Add(data, "SBQQ__OrderItemConsumptionRate__c", stamp, new JsonObject
        {
            ["SBQQ__OrderItemConsumptionSchedule__c"] = schedule, ["SBQQ__LowerBound__c"] = 10_001m, ["SBQQ__UpperBound__c"] = null, ["SBQQ__Price__c"] = 0.001m,
            ["SBQQ__PricingMethod__c"] = "PerUnit", ["SBQQ__ProcessingOrder__c"] = 2m,
        });
        foreach (var (key, day, quantity) in new[] { ("acme-calls-1", acmeStart.AddDays(9), 6_500m), ("acme-calls-2", acmeStart.AddDays(20), 2_000m),
                     ("acme-calls-3", acmeStart.AddMonths(1).AddDays(4), 14_000m), ("acme-calls-4", acmeStart.AddMonths(1).AddDays(17), 4_250m) })
        {
            Add(data, "Connector_Usage__c", stamp, new JsonObject
            {
                ["Connector_Usage_Id__c"] = key, ["Connector_Order_Product__c"] = usageLine, ["Connector_Usage_Date__c"] = Date(day),
                ["Connector_Quantity__c"] = quantity, ["Connector_Unit_Of_Measure__c"] = "Call", ["Connector_Status__c"] = "New",
            });
        }

        // Globex: starts mid-month (a leading partial period), annual support and 24 months of platform.
        var globexStart = month.AddMonths(-1).AddDays(14);
        var globexOrder = Order(data, stamp, globex, "00000102", globexStart, "Net 15");
        Line(data, stamp, globexOrder, support, 1, 4_800m, globexStart, globexStart.AddMonths(12).AddDays(-1), "Recurring", "Annual", "Advance", 12);
        Line(data, stamp, globexOrder, platform, 20, 1_440m, globexStart, globexStart.AddMonths(24).AddDays(-1), "Recurring", "Monthly", "Advance", 24);

        // Initech: an activated order with a usage line the default profile does not bill (quarantined) ...
        var initechOrder = Order(data, stamp, initech, "00000103", month, "Net 30");
        Line(data, stamp, initechOrder, onboarding, 1, 1_000m, month, null, "One-Time", null, null, null);
        Line(data, stamp, initechOrder, apiCalls, 1, 0.05m, month, null, "Usage", "Monthly", "Arrears", null);

        // ... and a draft order that must not be billed until it is activated.
        var draft = Order(data, stamp, initech, "00000104", month, "Net 30", status: "Draft");
        Line(data, stamp, draft, platform, 5, 600m, month, month.AddMonths(12).AddDays(-1), "Recurring", "Monthly", "Advance", 12);
    }

    private static string Order(SandboxData data, string stamp, string accountId, string number, DateOnly start, string paymentTerm, string status = "Activated") =>
        Add(data, "Order", stamp, new JsonObject
        {
            ["OrderNumber"] = number, ["AccountId"] = accountId, ["Status"] = status, ["EffectiveDate"] = Date(start),
            ["SBQQ__PaymentTerm__c"] = paymentTerm, ["SBQQ__Contracted__c"] = false, ["Type"] = "New",
        });

    private static string Line(SandboxData data, string stamp, string orderId, string productId, decimal quantity, decimal unitPrice,
        DateOnly start, DateOnly? end, string chargeType, string? frequency, string? billingType, decimal? term) =>
        Add(data, "OrderItem", stamp, new JsonObject
        {
            ["OrderId"] = orderId, ["Product2Id"] = productId, ["Quantity"] = quantity, ["UnitPrice"] = unitPrice, ["ListPrice"] = unitPrice,
            ["TotalPrice"] = unitPrice * quantity, ["ServiceDate"] = Date(start), ["EndDate"] = end is { } e ? Date(e) : null,
            ["SBQQ__ChargeType__c"] = chargeType, ["SBQQ__BillingFrequency__c"] = frequency, ["SBQQ__BillingType__c"] = billingType,
            ["SBQQ__SubscriptionTerm__c"] = term, ["SBQQ__ProrateMultiplier__c"] = term is null ? null : 1m, ["SBQQ__Activated__c"] = true,
        });

    private static string Add(SandboxData data, string objectName, string stamp, JsonObject fields)
    {
        fields["SystemModstamp"] = stamp;
        return data.Insert(objectName, fields);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
