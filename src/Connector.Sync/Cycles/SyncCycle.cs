using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Salesforce.Limits;
using Connector.Sync.Ingest;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;

namespace Connector.Sync.Cycles;

/// <summary>
/// One full cycle: ingest changed records, run invoicing for today (in the billing time zone), render the documents
/// of newly posted invoices (PDF and UBL), send VERI*FACTU records when sending is on, and write everything back. Each step commits its own work, so a cycle stopped at any
/// point resumes on the next one without losing or repeating anything.
/// </summary>
internal sealed class SyncCycle(
    IngestStep ingest,
    InvoiceRunner invoiceRunner,
    PaymentApplier payments,
    BillingClock clock,
    DocumentRenderer renderer,
    Connector.Invoicing.VeriFactu.VeriFactuSubmission veriFactu,
    WriteBackStep writeBack,
    ApiUsage apiUsage,
    CycleRecorder recorder,
    OutboxStore outbox,
    ChangeEvents.PromptBilling prompt,
    Microsoft.Extensions.Options.IOptions<SyncOptions> options,
    ProgressReporter progress,
    Microsoft.Extensions.Logging.ILogger<SyncCycle> logger,
    TimeProvider timeProvider)
{
    public const string Kind = "sync";

    /// <summary>Runs the cycle and records how it ended (for <c>connector status</c>), failures included.</summary>
    public Task<CycleReport> RunAsync(CancellationToken cancellationToken) => RunStepsAsync(Kind, cancellationToken, ingest.RunAsync, BillAndRenderAsync, writeBack.RunAsync);

    /// <summary>
    /// The cycle of <c>sync --once</c> (a CronJob that may not run again for a day): failed write-backs are retried a
    /// second apart, doubling, within <see cref="SyncOptions.OnceRetryWindow"/>; what still waits is in
    /// <see cref="CycleReport.StillPending"/> and makes the report need attention.
    /// </summary>
    public Task<CycleReport> RunOnceAsync(CancellationToken cancellationToken) =>
        RunStepsAsync(Kind, cancellationToken, QuickRetriesAsync, ingest.RunAsync, BillAndRenderAsync, writeBack.RunAsync, RetryWithinWindowAsync);

    private static Task QuickRetriesAsync(CycleReport report, CancellationToken cancellationToken)
    {
        report.QuickRetries = true;
        return Task.CompletedTask;
    }

    private async Task RetryWithinWindowAsync(CycleReport report, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.OnceRetryWindow;
        while (true)
        {
            var retries = await outbox.RetriesAsync(cancellationToken);
            var now = timeProvider.GetUtcNow();
            if (retries.Count == 0 || report.Paused is not null || now >= deadline || (retries.NextAttemptAt ?? now) > deadline)
            {
                report.StillPending = retries;
                return;
            }

            // At least a moment between passes, so rows that wait on something else (a file on its invoice record) are not spun on.
            var wait = (retries.NextAttemptAt ?? now) - now;
            await Task.Delay(wait > MinimumPause ? wait : MinimumPause, timeProvider, cancellationToken);
            await writeBack.RunAsync(report, cancellationToken);
        }
    }

    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs steps of a cycle as one recorded unit of <paramref name="kind"/> (the run loops use it per loop), with a
    /// CycleId log scope; a failure is recorded and rethrown.
    /// </summary>
    public async Task<CycleReport> RunStepsAsync(string kind, CancellationToken cancellationToken, params Func<CycleReport, CancellationToken, Task>[] steps)
    {
        var report = new CycleReport();
        var callsBefore = apiUsage.Calls;
        var started = timeProvider.GetUtcNow();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CycleId"] = Guid.NewGuid().ToString("N")[..12], ["Loop"] = kind });
        try
        {
            foreach (var step in steps)
            {
                await step(report, cancellationToken);
            }

            report.ApiCalls = apiUsage.Calls - callsBefore;
            await recorder.RecordAsync(kind, started, report, report.NeedsAttention ? "NeedsAttention" : report.Paused is not null ? "Paused" : "Succeeded", null, cancellationToken);
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            report.ApiCalls = apiUsage.Calls - callsBefore;
            await recorder.RecordAsync(kind, started, report, "Failed", $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
            throw;
        }
    }

    /// <summary>The part of a cycle that needs no org: the org's payments, the invoice run and documents.</summary>
    public async Task BillAndRenderAsync(CycleReport report, CancellationToken cancellationToken)
    {
        var applied = await payments.ApplyPendingAsync(clock.Today(), cancellationToken);
        report.PaymentsApplied += applied.Applied;
        report.PaymentsReversed += applied.Reversed;
        report.Quarantined.AddRange(applied.Quarantined.Select(q => new QuarantineEntry(q.Source ?? "payment", q.RecordId, q.Reason, q.Payload ?? "")));
        var run = await invoiceRunner.RunAsync(clock.Today(), dryRun: false,
            new Progress<(int Posted, int Total)>(p => progress.Report("Posting invoices", p.Posted, p.Total)), invoiceBatch: null, cancellationToken);
        report.InvoicesPosted.AddRange(run.Invoices);
        report.CreditNotesPosted.AddRange(run.CreditNotes);
        report.Quarantined.AddRange(run.HeldLines.Select(h => new QuarantineEntry("order line", h.LineId, h.Reason, "")));
        var documents = await renderer.RenderPendingAsync(cancellationToken);
        report.DocumentsRendered += documents.Count;
        report.Warnings.AddRange(documents.Warnings());
        report.Warnings.AddRange((await veriFactu.SendPendingAsync(cancellationToken)).Warnings);

        // Orders ticked Bill Now that this cycle read were billed by the run above (with everything else due): untick them.
        await prompt.ClearAsync(report.BillNow, report, cancellationToken);
    }
}
