using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
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
    ApiUsage apiUsage)
{
    public async Task<CycleReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new CycleReport();
        var callsBefore = apiUsage.Calls;
        await ingest.RunAsync(report, cancellationToken);
        await BillAndRenderAsync(report, cancellationToken);
        await writeBack.RunAsync(report, cancellationToken);
        report.ApiCalls = apiUsage.Calls - callsBefore;
        return report;
    }

    /// <summary>The part of a cycle that needs no org: invoice run and documents.</summary>
    public async Task BillAndRenderAsync(CycleReport report, CancellationToken cancellationToken)
    {
        var run = await invoiceRunner.RunAsync(clock.Today(), dryRun: false, cancellationToken);
        report.InvoicesPosted.AddRange(run.Invoices);
        report.DocumentsRendered += (await renderer.RenderPendingAsync(cancellationToken)).Count;
    }
}
