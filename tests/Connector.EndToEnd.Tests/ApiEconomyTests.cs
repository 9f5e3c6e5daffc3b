using System.Text.Json.Nodes;
using Connector.Worker.Hosting;
using Connector.Worker.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

[TestFixture]
public sealed class ApiEconomyTests
{
    [Test, CancelAfter(240_000)]
    public async Task WriteBack_OneThousandInvoices_CostsCeilingOfNOver200CollectionCallsPerObject(CancellationToken cancellationToken)
    {
        // Arrange: 1,000 activated orders of one one-time line each, on 1,000 accounts.
        using var sandbox = new SandboxHarness(org => Seed(org.Data, 1_000));
        using var host = sandbox.BuildHost(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert: collections calls per object, counted by the org.
        var calls = sandbox.Server.Requests.Where(r => r.Method == "PATCH").GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted.Count, Is.EqualTo(1_003), "the 1,000 orders and the seed's three accounts");
            // ceil(1,003 / 200) = 6: five full calls for the thousand, one for the seed's three.
            Assert.That(calls["/services/data/v62.0/composite/sobjects/Connector_Invoice__c/Connector_Invoice_Key__c"], Is.EqualTo(6));
            Assert.That(calls["/services/data/v62.0/composite/sobjects"], Is.EqualTo(18), "order, account and PDF-link updates, 6 each");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(1_003));
        }
    }

    private static void Seed(Connector.Sandbox.Data.SandboxData data, int count)
    {
        var day = SandboxHarness.Today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var product = data.All("Product2")[0]["Id"]!.GetValue<string>();
        for (var i = 0; i < count; i++)
        {
            var account = data.Insert("Account", new JsonObject { ["Name"] = $"Customer {i:0000}", ["BillingCountry"] = "ES" });
            var order = data.Insert("Order", new JsonObject { ["OrderNumber"] = $"9{i:0000000}", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = day });
            data.Insert("OrderItem", new JsonObject
            {
                ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 100, ["TotalPrice"] = 100, ["ServiceDate"] = day,
                ["SBQQ__ChargeType__c"] = "One-Time",
            });
        }
    }
}
