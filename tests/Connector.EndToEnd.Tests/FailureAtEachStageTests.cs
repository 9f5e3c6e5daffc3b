using Connector.Sync.Quarantine;
using Connector.Sync.Ingest;
using Connector.Sync.WriteBack;
using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connector.EndToEnd.Tests;

/// <summary>One record fails at each stage of one cycle (map, bill, render, write); every other account bills and is written.</summary>
[TestFixture]
public sealed class FailureAtEachStageTests
{
    [Test, CancelAfter(60_000)]
    public async Task Cycle_OneFailureAtEachStage_EveryOtherAccountIsBilledAndWritten(CancellationToken cancellationToken)
    {
        // Arrange
        var hostile = "";
        using var sandbox = new SandboxHarness(org =>
        {
            // map: an Acme line whose total is beyond any amount (the seed's Initech Usage line is a map failure too).
            var acmeOrder = org.Data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000101")["Id"]!.GetValue<string>();
            var product = org.Data.All("Product2")[0]["Id"]!.GetValue<string>();
            hostile = org.Data.Insert("OrderItem", new JsonObject
            {
                ["OrderId"] = acmeOrder, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 1, ["TotalPrice"] = 7.9e28,
                ["ServiceDate"] = SandboxHarness.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["SBQQ__ChargeType__c"] = "One-Time",
            });
        });
        using var host = sandbox.BuildHost(configureServices: services => services.Replace(ServiceDescriptor.Singleton(sp =>
            new Connector.Invoicing.Documents.DocumentRenderer(sp.GetRequiredService<DocumentStore>(), sp.GetRequiredService<InvoiceStore>(),
                // render: Initech's PDF cannot be drawn.
                i => i.Buyer.Name == "Initech Ltd" ? throw new InvalidOperationException("font missing") : Connector.Invoicing.Documents.PdfRenderer.Render(i)))));
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        var ingest = host.Services.GetRequiredService<IngestStep>();
        var writeBack = host.Services.GetRequiredService<WriteBackStep>();
        var store = host.Services.GetRequiredService<IngestStore>();
        string? globexInvoice = null;

        // Act: one recorded cycle with the bill and write stages sabotaged in between.
        var report = await cycle.RunStepsAsync(SyncCycle.Kind, cancellationToken,
            ingest.RunAsync,
            async (_, ct) =>
            {
                // bill: a stored Globex line the engine cannot bill (a term of 0 months, as an older version stored it).
                var globexOrder = sandbox.Org.Data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000102")["Id"]!.GetValue<string>();
                var batch = new IngestBatch { ObjectName = "OrderItem" };
                batch.Changes.Lines.Add(new Connector.Invoicing.Orders.BillableLine
                {
                    LineId = "802BADBADBADBADAAA", OrderId = globexOrder, ProductName = "Broken", ChargeType = Connector.Invoicing.Schedules.ChargeType.Recurring,
                    Frequency = Connector.Invoicing.Schedules.BillingFrequency.Monthly, Quantity = 1, TotalPrice = 1_200, StartDate = SandboxHarness.Today.AddMonths(-1),
                    EndDate = SandboxHarness.Today.AddMonths(11), SubscriptionTermMonths = 0,
                });
                await store.CommitAsync(batch, ct);
            },
            cycle.BillAndRenderAsync,
            (report, _) =>
            {
                // write: the org keeps Globex's invoice record locked through the whole pass.
                globexInvoice = report.InvoicesPosted.Single(i => i.Buyer.Name == "Globex GmbH").Number;
                sandbox.Org.Faults.LockRecords(100, globexInvoice);
                return Task.CompletedTask;
            },
            writeBack.RunAsync);

        // Assert
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
        var records = sandbox.Org.Data.All("Connector_Invoice__c").Select(r => r["Name"]!.GetValue<string>()).ToList();
        var files = sandbox.Org.Data.All("ContentVersion").Select(f => f["Connector_Content_Key__c"]!.GetValue<string>()).ToList();
        var acme = report.InvoicesPosted.Single(i => i.Buyer.Name == "Acme Iberia SL");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted.Select(i => i.Buyer.Name), Is.EquivalentTo(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd" }), "every account bills");
            Assert.That(acme.Net.Value, Is.EqualTo(5_545.25m), "Acme bills without its hostile line (net; 21 % IVA on top)");
            Assert.That(quarantine.Select(q => q.RecordId), Is.SupersetOf(new[] { hostile, "802BADBADBADBADAAA" }), "map and bill failures are quarantined");
            Assert.That(report.Warnings, Has.Some.Contains("Initech").Or.Some.Contains("could not be drawn"), "the render failure is reported");
            Assert.That(records, Has.Count.EqualTo(2).And.Not.Contains(globexInvoice), "every invoice record but the locked one is written");
            Assert.That(report.WriteBackFailures, Has.Some.Contains("UNABLE_TO_LOCK_ROW"));
            Assert.That(report.ParkedWriteBacks, Is.Zero, "a lock is retried, not parked");
            Assert.That(files.Where(f => !f.Contains(".ubl:", StringComparison.Ordinal)).ToList(), Has.Count.EqualTo(1).And.Some.StartsWith(acme.Number + ":"),
                "Acme's PDF is uploaded; Initech's was not drawn; Globex's waits for its record");
            Assert.That(files.Where(f => f.Contains(".ubl:", StringComparison.Ordinal)).Select(f => f[..f.IndexOf('.', StringComparison.Ordinal)]), Is.EquivalentTo(new[] { acme.Number, report.InvoicesPosted.Single(i => i.Buyer.Name == "Initech Ltd").Number }),
                "UBL files go up for Acme and for Initech, whose PDF failed; Globex's waits for its record");
        }
    }
}
