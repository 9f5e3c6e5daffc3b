using Connector.Sync.Quarantine;
using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// A hostile org: beside the seed's three good orders, a fourth account whose order holds one good line and one line
/// with a hostile value in one field (out of range, malformed, huge, control characters). Every case: the cycle ends
/// (no exception escapes), the hostile line is quarantined with a reason naming its field or billed within bounds,
/// and every good line of every account is billed and written back.
/// </summary>
[TestFixture]
public sealed class HostileRecordTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // (field, hostile value, how the line should end: "quarantined" naming the field, or "billed")
        yield return Case("SBQQ__SubscriptionTerm__c", 0, "quarantined");
        yield return Case("SBQQ__SubscriptionTerm__c", -12, "quarantined");
        yield return Case("TotalPrice", 7.9e28, "quarantined");
        yield return Case("Quantity", 1e18, "quarantined");
        yield return Case("UnitPrice", -1e13, "quarantined");
        yield return Case("SBQQ__ProrateMultiplier__c", 0, "quarantined");
        yield return Case("ServiceDate", "0001-01-01", "quarantined");
        yield return Case("ServiceDate", "2026-02-30", "quarantined");
        yield return Case("EndDate", "9999-12-31", "quarantined");
        yield return Case("Quantity", "ten", "quarantined");
        yield return Case("SBQQ__ChargeType__c", "Recurring\u0000", "quarantined");
        yield return Case("SBQQ__BillingFrequency__c", new string('M', 50_000), "quarantined");
        yield return Case("Quantity", -3, "billed"); // a discount line is legitimate in CPQ
        yield return Case("Product2Id", "name:" + new string('Ж', 100_000) + "\u0007", "billed");
    }

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(60_000)]
    public async Task Cycle_OneHostileField_QuarantinesOrBoundsThatLineAndBillsEverythingElse(string field, JsonNode? value, string outcome, CancellationToken cancellationToken)
    {
        // Arrange
        (string Good, string Hostile) ids = ("", "");
        using var sandbox = new SandboxHarness(org => ids = AddHostileOrder(org.Data, field, value));
        var hostileId = ids.Hostile;
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
        var invoices = sandbox.Org.Data.All("Connector_Invoice__c");
        var hostileAccountInvoice = report.InvoicesPosted.SingleOrDefault(i => i.Buyer.Name == "Hostile Org Ltd");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted.Select(i => i.Buyer.Name), Is.SupersetOf(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd", "Hostile Org Ltd" }), "every account bills");
            Assert.That(invoices, Has.Count.EqualTo(4), "every invoice is written back");
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(4 * OrgFiles.PerDocument), "every PDF and UBL file is uploaded");
            Assert.That(report.WriteBackFailures, Is.Empty);
            Assert.That(hostileAccountInvoice?.Lines.Select(l => l.OrderLineId), Does.Contain(ids.Good), "the good line beside the hostile one bills");
            if (outcome == "quarantined")
            {
                Assert.That(quarantine.Where(q => q.RecordId == hostileId).Select(q => q.Reason), Has.Exactly(1).Contains(field.Split('.')[0]), "one row naming the field");
                Assert.That(hostileAccountInvoice?.Lines.Select(l => l.OrderLineId), Does.Not.Contain(hostileId));
            }
            else
            {
                Assert.That(quarantine.Select(q => q.RecordId), Does.Not.Contain(hostileId));
                Assert.That(hostileAccountInvoice?.Lines.Select(l => l.OrderLineId), Does.Contain(hostileId));
                Assert.That(hostileAccountInvoice?.Lines.Max(l => l.Description.Length), Is.LessThanOrEqualTo(300), "texts are bounded");
            }
        }
    }

    private static TestCaseData Case(string field, object value, string outcome) =>
        new TestCaseData(field, JsonValue.Create(value), outcome).SetArgDisplayNames(field, Describe(value), outcome);

    private static string Describe(object value) => value is string text && text.Length > 20 ? $"{text.Length} characters" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.Replace("\0", "\\0", StringComparison.Ordinal);

    /// <summary>An account and activated order with one good monthly line and one line carrying the hostile value.</summary>
    private static (string Good, string Hostile) AddHostileOrder(Sandbox.Data.SandboxData data, string field, JsonNode? value)
    {
        var today = SandboxHarness.Today;
        var start = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var end = new DateOnly(today.Year, today.Month, 1).AddMonths(12).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var account = data.Insert("Account", new JsonObject { ["Name"] = "Hostile Org Ltd", ["BillingCountry"] = "IE" });
        var product = data.Insert("Product2", new JsonObject { ["Name"] = "Seats", ["ProductCode"] = "SEAT", ["Family"] = "Software", ["IsActive"] = true });
        var order = data.Insert("Order", new JsonObject
        {
            ["OrderNumber"] = "00000666", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = start, ["SBQQ__PaymentTerm__c"] = "Net 30",
            ["SBQQ__Contracted__c"] = false, ["Type"] = "New",
        });
        JsonObject Line() => new()
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 2, ["UnitPrice"] = 100, ["ListPrice"] = 100, ["TotalPrice"] = 2_400,
            ["ServiceDate"] = start, ["EndDate"] = end, ["SBQQ__ChargeType__c"] = "Recurring", ["SBQQ__BillingFrequency__c"] = "Monthly",
            ["SBQQ__BillingType__c"] = "Advance", ["SBQQ__SubscriptionTerm__c"] = 12, ["SBQQ__ProrateMultiplier__c"] = 1,
        };

        var good = data.Insert("OrderItem", Line());
        var hostile = Line();
        if (field == "Product2Id" && value?.GetValue<string>() is { } name && name.StartsWith("name:", StringComparison.Ordinal))
        {
            hostile["Product2Id"] = data.Insert("Product2", new JsonObject { ["Name"] = name[5..], ["ProductCode"] = "EVIL", ["Family"] = "Software", ["IsActive"] = true });
        }
        else
        {
            hostile[field] = value?.DeepClone();
            if (field is "Quantity" or "UnitPrice")
            {
                hostile.Remove("TotalPrice"); // CPQ's total follows; here the mapping computes unit price × quantity
            }
        }

        return (good, data.Insert("OrderItem", hostile));
    }
}
