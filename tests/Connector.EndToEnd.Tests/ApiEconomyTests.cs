using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

[TestFixture]
public sealed class ApiEconomyTests
{
    [Test, CancelAfter(240_000)]
    public async Task WriteBack_OneThousandInvoices_CostsCeilingOfNOver200CollectionsPerObjectPackedFiveToACall(CancellationToken cancellationToken)
    {
        // Arrange: 1,000 activated orders of one one-time line each, on 1,000 accounts.
        using var sandbox = new SandboxHarness(org => Seed(org.Data, 1_000));
        using var host = sandbox.BuildHost(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert: collections requests per object, counted by the org, and the calls that carried them.
        var collections = sandbox.Org.CollectionsRequests;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted.Count, Is.EqualTo(1_003), "the 1,000 orders and the seed's three accounts");
            // ceil(1,003 / 200) = 6: five full requests for the thousand, one for the seed's three.
            Assert.That(collections["Connector_Invoice__c"], Is.EqualTo(6 + 6), "the records, then their PDF links");
            Assert.That(collections["Order"], Is.EqualTo(6));
            Assert.That(collections["Account"], Is.EqualTo(6));
            // 18 record requests in 4 Composite calls, 1,003 PDFs and 1,003 UBL files in 11 sObject Collections creates (200 a
            // call), 6 link requests in 2 (5 in a Composite call, the sixth alone as a plain collections call: one call either way).
            var files = sandbox.Server.Requests.Count(r => r.Method == "POST" && r.Path == "/services/data/v62.0/composite/sobjects");
            Assert.That(files, Is.EqualTo(11), "2,006 files, 200 a call");
            Assert.That(sandbox.Server.Requests.Count(r => r.Path == "/services/data/v62.0/composite" || r.Method == "PATCH") + files, Is.EqualTo(4 + 11 + 2));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(1_003));
            Assert.That(sandbox.Org.Data.All("Order").Count(o => o["Connector_Last_Invoice_Number__c"] is not null), Is.EqualTo(1_003));
        }
    }

    [Test, CancelAfter(240_000)]
    public async Task WriteBack_AboveTheBulkThreshold_CostsSevenCallsPerObjectWhateverTheCount(CancellationToken cancellationToken)
    {
        // Arrange: the same thousand, with Bulk API 2.0 for more than 500 records of an object.
        using var sandbox = new SandboxHarness(org => Seed(org.Data, 1_000));
        using var host = sandbox.BuildHost(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Connector:Salesforce:BulkWriteThreshold"] = "500",
            ["Connector:Salesforce:BulkPollInterval"] = "00:00:00.010",
            ["Connector:Sync:WriteBackBatchSize"] = "10000",
        });
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert: one ingest job per object (invoices, orders, accounts, PDF links), seven calls each, collections only below the threshold.
        var ingest = sandbox.Server.Requests.Where(r => r.Path.Contains("/jobs/ingest", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.WriteBackFailures, Is.Empty);
            Assert.That(sandbox.Org.IngestJobsCreated, Is.EqualTo(4));
            Assert.That(ingest, Has.Count.EqualTo(4 * 7));
            Assert.That(sandbox.Org.CollectionsRequests, Is.EquivalentTo(new Dictionary<string, int> { ["Connector_Usage_Summary__c"] = 1, ["Connector_Usage__c"] = 1, ["ContentVersion"] = 11 }),
                "records: only the seed's 2 usage summaries and 4 usage records, below the threshold; files always go 200 a collections call");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c").Count(i => i["Connector_PDF_Link__c"] is not null), Is.EqualTo(1_003));
            Assert.That(sandbox.Org.Data.All("Account").Count(a => a["Connector_Balance__c"] is not null), Is.EqualTo(1_003));
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
