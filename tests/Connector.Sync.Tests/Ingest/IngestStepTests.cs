using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Sync.Cycles;
using Connector.Sync.Ingest;
using Connector.Sync.Quarantine;

namespace Connector.Sync.Tests.Ingest;

/// <summary>The ingest stage against the sandbox org over HTTP, on a fake clock.</summary>
[TestFixture]
public sealed class IngestStepTests
{
    [Test, CancelAfter(60_000)]
    public async Task RunAsync_SeededOrg_StoresEveryRecordItMapsAndAdvancesEachWatermark(CancellationToken cancellationToken)
    {
        // Arrange
        await using var harness = await SyncHarness.StartAsync();
        var report = new CycleReport();

        // Act
        await harness.Get<IngestStep>().RunAsync(report, cancellationToken);

        // Assert
        var store = harness.Get<IngestStore>();
        var newestOrder = harness.Org.Data.All("Order").Max(o => DateTimeOffset.Parse(o["SystemModstamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var lines = await harness.Get<InvoiceStore>().LoadBillableOrdersAsync(cancellationToken);
        var quarantine = await harness.Get<QuarantineStore>().OpenAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((report.Read("Account"), report.Read("Order"), report.Read("OrderItem")), Is.EqualTo((3, 3, 7)));
            Assert.That((report.Read("SBQQ__OrderItemConsumptionSchedule__c"), report.Read("SBQQ__OrderItemConsumptionRate__c"), report.Read("Connector_Usage__c")), Is.EqualTo((1, 2, 4)));
            Assert.That(await store.GetWatermarkAsync("Order", cancellationToken), Is.EqualTo(newestOrder));
            Assert.That(lines.SelectMany(o => o.Lines).Count(), Is.EqualTo(7), "every activated line; Usage lines map (billing holds the one without a consumption schedule)");
            Assert.That(quarantine, Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task RunAsync_OneOrderChangedAnHourLater_ReadsOnlyThatOrderAgain(CancellationToken cancellationToken)
    {
        // Arrange
        await using var harness = await SyncHarness.StartAsync();
        var step = harness.Get<IngestStep>();
        await step.RunAsync(new CycleReport(), cancellationToken);
        harness.Time.Advance(TimeSpan.FromHours(1));
        var order = harness.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        harness.Org.Data.Update("Order", order, new JsonObject { ["SBQQ__PaymentTerm__c"] = "Net 45" });
        var report = new CycleReport();

        // Act
        await step.RunAsync(report, cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((report.Read("Account"), report.Read("Order"), report.Read("OrderItem")), Is.EqualTo((0, 1, 0)));
            Assert.That(await harness.Get<IngestStore>().GetWatermarkAsync("Order", cancellationToken), Is.EqualTo(harness.Time.GetUtcNow()).Within(TimeSpan.FromSeconds(1)));
        }
    }
}
