using Connector.Sync.Cycles;
using Microsoft.Extensions.Options;

namespace Connector.Sync.WriteBack;

/// <summary>
/// Drains the outbox, a pass of up to <see cref="WriteBackOptions.WriteBackBatchSize"/> rows at a time: the records
/// (<see cref="RecordWriter"/>), then the PDFs (<see cref="DocumentPublisher"/>), then the PDF links. Passes repeat while
/// full batches make progress, so one cycle drains a backlog; the API budget can pause it, and the outbox keeps
/// everything until then. Per-row failures are retried with backoff or parked (<see cref="OutboxDelivery"/>).
/// </summary>
internal sealed class WriteBackStep(OutboxStore outbox, RecordWriter records, DocumentPublisher documents, BudgetGate budget, IOptions<WriteBackOptions> options)
{
    public async Task RunAsync(CycleReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        while (true)
        {
            if (await budget.PauseReasonAsync(cancellationToken) is { } reason)
            {
                report.Paused = reason; // the outbox keeps everything until the budget allows
                return;
            }

            var pending = await outbox.PendingAsync(options.Value.WriteBackBatchSize, cancellationToken);
            var settledBefore = report.TotalWrittenBack + report.WriteBackFailures.Count;
            await records.WriteRecordsAsync(pending, report, cancellationToken);
            var linksQueued = await documents.PublishAsync([.. pending.Where(m => m.Topic == OutboxTopics.Document)], report, cancellationToken);
            await records.WriteLinksAsync([.. pending.Where(m => m.Topic == OutboxTopics.FileLink)], report, cancellationToken);
            var settled = report.TotalWrittenBack + report.WriteBackFailures.Count - settledBefore;

            // Links of PDFs uploaded in this pass were queued after it began: one more pass writes them.
            if ((pending.Count < options.Value.WriteBackBatchSize && linksQueued == 0) || settled == 0)
            {
                return;
            }
        }
    }
}
