using Connector.Sync.Cycles;
using Connector.Sync.Ingest;
using Connector.Sync.WriteBack;

namespace Connector.Sync.Tests.WriteBack;

/// <summary>The write-back stage against the sandbox org over HTTP, on a fake clock: retries wait for the clock, not for a sleep.</summary>
[TestFixture]
public sealed class WriteBackStepTests
{
    [Test, CancelAfter(60_000)]
    public async Task RunAsync_InvoiceRecordLockedOnce_WaitsItsBackoffThenLandsWithItsPdfAndLink(CancellationToken cancellationToken)
    {
        // Arrange: three invoices posted and rendered; the org locks the first invoice's record once.
        await using var harness = await SyncHarness.StartAsync();
        await harness.Get<IngestStep>().RunAsync(new CycleReport(), cancellationToken);
        await harness.Get<SyncCycle>().BillAndRenderAsync(new CycleReport(), cancellationToken);
        harness.Org.Faults.LockRecordsOnce("INV-000001");
        var step = harness.Get<WriteBackStep>();

        // Act
        var first = new CycleReport();
        await step.RunAsync(first, cancellationToken);
        var invoicesAfterFirst = Invoices(harness);
        var beforeBackoff = new CycleReport();
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await step.RunAsync(beforeBackoff, cancellationToken);
        var afterBackoff = new CycleReport();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await step.RunAsync(afterBackoff, cancellationToken);

        // Assert
        var files = harness.Org.Data.All("ContentVersion").Select(f => f["Connector_Content_Key__c"]!.GetValue<string>()).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.WriteBackFailures, Has.Count.EqualTo(1).And.Some.Contains("UNABLE_TO_LOCK_ROW").And.Some.Contains("retrying in 00:00:30"));
            Assert.That(invoicesAfterFirst, Is.EqualTo(new[] { "INV-000002", "INV-000003" }));
            Assert.That(beforeBackoff.TotalWrittenBack + beforeBackoff.WriteBackFailures.Count, Is.Zero, "not due before its backoff has passed");
            Assert.That(afterBackoff.WrittenBack.GetValueOrDefault("Connector_Invoice__c"), Is.EqualTo(1));
            Assert.That(Invoices(harness), Is.EqualTo(new[] { "INV-000001", "INV-000002", "INV-000003" }));
            Assert.That(files.Count(f => f.StartsWith("INV-000001:", StringComparison.Ordinal)), Is.EqualTo(1), "its PDF follows its record, once");
            Assert.That(afterBackoff.WrittenBack.GetValueOrDefault("PDF link"), Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task RunAsync_RecordRefusedForGood_IsParkedAtOnceAndNeverSentAgain(CancellationToken cancellationToken)
    {
        // Arrange: the org no longer has the order field the profile writes (an admin deleted it).
        await using var harness = await SyncHarness.StartAsync();
        await harness.Get<IngestStep>().RunAsync(new CycleReport(), cancellationToken);
        await harness.Get<SyncCycle>().BillAndRenderAsync(new CycleReport(), cancellationToken);
        harness.Org.Data.Schema.Find("Order")!.Hide("Connector_Last_Invoice_Number__c");
        var step = harness.Get<WriteBackStep>();

        // Act
        var first = new CycleReport();
        await step.RunAsync(first, cancellationToken);
        harness.Time.Advance(TimeSpan.FromHours(2));
        var later = new CycleReport();
        await step.RunAsync(later, cancellationToken);

        // Assert
        var retries = await harness.Get<OutboxStore>().RetriesAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ParkedWriteBacks, Is.EqualTo(3), "each billed order: INVALID_FIELD is not worth a retry");
            Assert.That(first.WriteBackFailures, Has.All.Contains("INVALID_FIELD").And.All.Contains("parked as Failed"));
            Assert.That(later.WriteBackFailures, Is.Empty);
            Assert.That(first.WrittenBack.GetValueOrDefault("Connector_Invoice__c"), Is.EqualTo(3), "the invoices are written all the same");
            Assert.That(retries.Count, Is.Zero, "nothing waits for a retry");
        }
    }

    private static List<string> Invoices(SyncHarness harness) =>
        [.. harness.Org.Data.All("Connector_Invoice__c").Select(r => r["Connector_Invoice_Key__c"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
