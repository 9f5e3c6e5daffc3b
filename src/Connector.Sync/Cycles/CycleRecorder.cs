using System.Text.Json;
using Connector.Salesforce.Limits;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;

namespace Connector.Sync.Cycles;

/// <summary>Records how a cycle of any loop ended: a <c>cycle_run</c> row for <c>status</c>, and the metrics.</summary>
internal sealed class CycleRecorder(CycleStore operations, OutboxStore outbox, QuarantineStore quarantine, ConnectorMetrics metrics, ApiUsage apiUsage, Microsoft.Extensions.Options.IOptions<SyncOptions> options, TimeProvider timeProvider)
{
    private long _lastPrunedTicks;

    public async Task RecordAsync(string kind, DateTimeOffset started, CycleReport report, string outcome, string? error, CancellationToken cancellationToken)
    {
        var finished = timeProvider.GetUtcNow();
        metrics.RecordCycle(report, finished - started, outcome, apiUsage.Last is { } last ? (last.Used, last.Max) : null, report.Paused is not null);
        var summary = JsonSerializer.Serialize(new
        {
            recordsRead = report.RecordsRead,
            quarantined = report.Quarantined.Count,
            recordsDeleted = report.RecordsDeleted,
            warnings = report.Warnings,
            invoicesPosted = report.InvoicesPosted.Select(i => i.Number),
            documentsRendered = report.DocumentsRendered,
            writtenBack = report.WrittenBack,
            writeBackFailures = report.WriteBackFailures.Count,
            apiCalls = report.ApiCalls,
            paused = report.Paused,
            apiUsage = apiUsage.Last is { } limit ? new { used = limit.Used, max = limit.Max } : null,
        });
        await operations.RecordCycleAsync(new CycleRun(kind, started, finished, outcome, summary, error), cancellationToken);
        if (finished.UtcTicks - Interlocked.Read(ref _lastPrunedTicks) >= TimeSpan.TicksPerHour)
        {
            Interlocked.Exchange(ref _lastPrunedTicks, finished.UtcTicks);
            await operations.PruneCyclesAsync(finished - options.Value.CycleHistory, cancellationToken);
        }

        var backlog = await outbox.CountByStatusAsync(cancellationToken);
        metrics.RecordBacklog(backlog.GetValueOrDefault("Pending"), backlog.GetValueOrDefault("Failed"), (await quarantine.OpenAsync(cancellationToken)).Count);
    }
}
