using System.Text.Json;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Salesforce.Limits;

namespace Connector.Worker.Sync;

/// <summary>
/// One full cycle: ingest changed records, run invoicing for today (in the billing time zone), render the documents
/// of newly posted invoices, and write everything back. Each step commits its own work, so a cycle stopped at any
/// point resumes on the next one without losing or repeating anything.
/// </summary>
public sealed class SyncCycle(
    IngestStep ingest,
    InvoiceRunner invoiceRunner,
    BillingClock clock,
    DocumentRenderer renderer,
    WriteBackStep writeBack,
    ApiUsage apiUsage,
    OperationsStore operations,
    OutboxStore outbox,
    IngestStore ingestStore,
    Telemetry.ConnectorMetrics metrics,
    Microsoft.Extensions.Logging.ILogger<SyncCycle> logger,
    TimeProvider timeProvider)
{
    public const string Kind = "sync";

    /// <summary>Runs the cycle and records how it ended (for <c>connector status</c>), failures included.</summary>
    public async Task<CycleReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new CycleReport();
        var callsBefore = apiUsage.Calls;
        var started = timeProvider.GetUtcNow();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CycleId"] = Guid.NewGuid().ToString("N")[..12] });
        try
        {
            await ingest.RunAsync(report, cancellationToken);
            await BillAndRenderAsync(report, cancellationToken);
            await writeBack.RunAsync(report, cancellationToken);
            report.ApiCalls = apiUsage.Calls - callsBefore;
            await RecordAsync(started, report, report.WriteBackFailures.Count == 0 ? "Succeeded" : "NeedsAttention", null, cancellationToken);
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            report.ApiCalls = apiUsage.Calls - callsBefore;
            await RecordAsync(started, report, "Failed", $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
            throw;
        }
    }

    private async Task RecordAsync(DateTimeOffset started, CycleReport report, string outcome, string? error, CancellationToken cancellationToken)
    {
        var finished = timeProvider.GetUtcNow();
        metrics.RecordCycle(report, finished - started, outcome, apiUsage.Last is { } last ? (last.Used, last.Max) : null);
        var summary = JsonSerializer.Serialize(new
        {
            recordsRead = report.RecordsRead,
            quarantined = report.Quarantined.Count,
            invoicesPosted = report.InvoicesPosted.Select(i => i.Number),
            documentsRendered = report.DocumentsRendered,
            writtenBack = report.WrittenBack,
            writeBackFailures = report.WriteBackFailures.Count,
            apiCalls = report.ApiCalls,
            apiUsage = apiUsage.Last is { } limit ? new { used = limit.Used, max = limit.Max } : null,
        });
        await operations.RecordCycleAsync(new CycleRun(Kind, started, finished, outcome, summary, error), cancellationToken);
        var backlog = await outbox.CountByStatusAsync(cancellationToken);
        metrics.RecordBacklog(backlog.GetValueOrDefault("Pending"), backlog.GetValueOrDefault("Failed"), (await ingestStore.OpenQuarantineAsync(cancellationToken)).Count);
    }

    /// <summary>The part of a cycle that needs no org: invoice run and documents.</summary>
    public async Task BillAndRenderAsync(CycleReport report, CancellationToken cancellationToken)
    {
        var run = await invoiceRunner.RunAsync(clock.Today(), dryRun: false, cancellationToken);
        report.InvoicesPosted.AddRange(run.Invoices);
        report.DocumentsRendered += (await renderer.RenderPendingAsync(cancellationToken)).Count;
    }
}
