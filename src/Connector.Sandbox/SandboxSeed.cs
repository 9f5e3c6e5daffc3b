using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;

namespace Connector.Sandbox;

/// <summary>
/// The sandbox org's starting data: three accounts, CPQ products, and activated orders with one-time and recurring
/// lines priced as CPQ prices them (TotalPrice covers the whole term). Dates are relative to the first day of the
/// current month, so the data is the same for every run in a month. The customers are where the default tax rules
/// (a seller in Spain) differ: Acme in Spain (21 % IVA, invoiced in Spanish), Globex in Germany (a business in the EU:
/// reverse charge, in German), Initech in the UK (a business outside the EU: not subject, in English). Acme's API calls
/// are billed by usage (a consumption schedule and usage records); Initech's legacy Usage line has no schedule, so it is
/// quarantined with what is missing; one order is still Draft and must not be billed. <see cref="Demo"/> adds a Danish
/// customer and one with an Arabic name; <see cref="Cancel"/> ends the Danish contract early, as a sales user cancelling
/// it would: the next run credits what was billed beyond.
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
            ["BillingPostalCode"] = "28014", ["BillingCountry"] = "ES", ["Connector_VAT_Number__c"] = "B12345674",
            ["Connector_Peppol_Id__c"] = "ESB12345674", ["Connector_Peppol_Scheme__c"] = "9920", ["Connector_Buyer_Reference__c"] = "COMPRAS-2026",
        });
        var globex = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Globex GmbH", ["BillingStreet"] = "Friedrichstraße 100", ["BillingCity"] = "Berlin",
            ["BillingPostalCode"] = "10117", ["BillingCountry"] = "DE", ["Connector_VAT_Number__c"] = "DE123456789",
            ["Connector_Peppol_Id__c"] = "DE123456789", ["Connector_Peppol_Scheme__c"] = "9930", ["Connector_Buyer_Reference__c"] = "04011000-12345-34",
        });
        var initech = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Initech Ltd", ["BillingStreet"] = "1 Office Park", ["BillingCity"] = "London",
            ["BillingPostalCode"] = "EC1A 1BB", ["BillingCountry"] = "GB", ["Connector_VAT_Number__c"] = "GB123456789",
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

    /// <summary>
    /// The demo's org: <see cref="Default"/> and two more customers, so that every document language shows: Nordlys in
    /// Denmark (a year of support under a contract, billed in advance; <see cref="Cancel"/> ends it early) and Al Amal
    /// in the United Arab Emirates, whose name is in Arabic.
    /// </summary>
    public static void Demo(SandboxData data, DateOnly today)
    {
        Default(data, today);
        var month = new DateOnly(today.Year, today.Month, 1);
        var stamp = SandboxData.Stamp(new DateTimeOffset(month.AddDays(-1).ToDateTime(new TimeOnly(23, 0)), TimeSpan.Zero));
        var support = data.FindBy("Product2", "ProductCode", "SUPP")!["Id"]!.GetValue<string>();
        var onboarding = data.FindBy("Product2", "ProductCode", "ONB")!["Id"]!.GetValue<string>();
        var nordlys = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "Nordlys ApS", ["BillingStreet"] = "Vesterbrogade 12", ["BillingCity"] = "København V",
            ["BillingPostalCode"] = "1620", ["BillingCountry"] = "DK", ["Connector_VAT_Number__c"] = "DK12345674",
            ["Connector_Peppol_Id__c"] = "12345674", ["Connector_Peppol_Scheme__c"] = "0184",
        });
        var amal = Add(data, "Account", stamp, new JsonObject
        {
            ["Name"] = "شركة الأمل للتجارة", ["BillingStreet"] = "Sheikh Zayed Road 1", ["BillingCity"] = "Dubai",
            ["BillingCountry"] = "AE", ["Connector_VAT_Number__c"] = "100123456700003",
        });

        // Nordlys: a year of support under a contract from two months ago, 2,400.00 billed in advance.
        var nordlysStart = month.AddMonths(-2);
        var contract = Add(data, "Contract", stamp, new JsonObject
        {
            ["AccountId"] = nordlys, ["Status"] = "Activated", ["StartDate"] = Date(nordlysStart), ["EndDate"] = Date(nordlysStart.AddMonths(12).AddDays(-1)),
            ["ContractTerm"] = 12,
        });
        var nordlysOrder = Order(data, stamp, nordlys, "00000105", nordlysStart, "Net 30");
        data.Find("Order", nordlysOrder)!["ContractId"] = contract;
        Line(data, stamp, nordlysOrder, support, 1, 2_400m, nordlysStart, nordlysStart.AddMonths(12).AddDays(-1), "Recurring", "Annual", "Advance", 12);

        // Al Amal: two seats of the platform for a year from last month, and onboarding.
        var platform = data.FindBy("Product2", "ProductCode", "PLAT")!["Id"]!.GetValue<string>();
        var amalOrder = Order(data, stamp, amal, "00000106", month.AddMonths(-1), "Net 30");
        Line(data, stamp, amalOrder, platform, 2, 1_200m, month.AddMonths(-1), month.AddMonths(11).AddDays(-1), "Recurring", "Monthly", "Advance", 12);
        Line(data, stamp, amalOrder, onboarding, 1, 2_500m, month.AddMonths(-1), null, "One-Time", null, null, null);
    }

    /// <summary>
    /// Customers cancel, as sales users record it in the org: Nordlys's contract now ends on the last day of this month,
    /// and the platform subscriptions of Acme, Globex and Al Amal ended with last month. The next run credits what was
    /// billed beyond each new end: one credit note per corrected invoice, in each customer's language.
    /// </summary>
    public static void Cancel(SandboxData data, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(data);
        var month = new DateOnly(today.Year, today.Month, 1);
        var nordlys = data.FindBy("Account", "Name", "Nordlys ApS") ?? throw new InvalidOperationException("The seed has no Nordlys ApS.");
        var contract = data.FindBy("Contract", "AccountId", nordlys["Id"]!.GetValue<string>()) ?? throw new InvalidOperationException("Nordlys ApS has no contract.");
        data.Update("Contract", contract["Id"]!.GetValue<string>(), new JsonObject { ["EndDate"] = Date(month.AddMonths(1).AddDays(-1)) });

        var platform = data.FindBy("Product2", "ProductCode", "PLAT")!["Id"]!.GetValue<string>();
        foreach (var number in new[] { "00000101", "00000102", "00000106" })
        {
            var order = data.FindBy("Order", "OrderNumber", number)!["Id"]!.GetValue<string>();
            var line = data.All("OrderItem").Single(i => i["OrderId"]!.GetValue<string>() == order && i["Product2Id"]!.GetValue<string>() == platform);
            data.Update("OrderItem", line["Id"]!.GetValue<string>(), new JsonObject { ["EndDate"] = Date(month.AddDays(-1)) });
        }
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
