using System.Text.Json.Nodes;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Salesforce;
using Connector.Sync.Cycles;
using Connector.Sync.Quarantine;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

/// <summary>
/// Bills between scheduled runs what asks for it: orders a sales user ticked "Bill Now" on, orders just activated or
/// changed when <see cref="BillingOptions.InvoiceOnActivation"/> is on (their charges due today, nothing else), and
/// payments recorded in the org (applied at once, so balances follow within seconds). Then the documents are rendered
/// and the Bill Now boxes cleared. Billing is idempotent (each line and period once), so a box left ticked by a failed
/// clear bills nothing twice.
/// </summary>
internal sealed class PromptBilling(
    InvoiceRunner invoices,
    PaymentApplier payments,
    DocumentRenderer renderer,
    BillingClock clock,
    SalesforceClient salesforce,
    IOptions<BillingOptions> billing)
{
    /// <summary>The orders that <paramref name="stored"/> asks to bill now.</summary>
    public IReadOnlyCollection<string> OrdersToBill(CycleReport stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return billing.Value.InvoiceOnActivation ? [.. stored.BillNow.Keys.Union(stored.OrdersChanged, StringComparer.Ordinal)] : [.. stored.BillNow.Keys];
    }

    /// <summary>Whether <paramref name="stored"/> holds anything to bill or apply now.</summary>
    public bool IsDue(CycleReport stored) => OrdersToBill(stored).Count > 0 || stored.PaymentsChanged;

    public async Task RunAsync(CycleReport stored, CycleReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(report);
        var today = clock.Today();
        if (stored.PaymentsChanged)
        {
            var applied = await payments.ApplyPendingAsync(today, cancellationToken);
            report.PaymentsApplied += applied.Applied;
            report.PaymentsReversed += applied.Reversed;
            report.Quarantined.AddRange(applied.Quarantined.Select(q => new QuarantineEntry(q.Source ?? "payment", q.RecordId, q.Reason, q.Payload ?? "")));
        }

        var orders = OrdersToBill(stored);
        if (orders.Count > 0)
        {
            var run = await invoices.RunForOrdersAsync(orders, today, cancellationToken);
            report.InvoicesPosted.AddRange(run.Invoices);
            report.CreditNotesPosted.AddRange(run.CreditNotes);
            report.Quarantined.AddRange(run.HeldLines.Select(h => new QuarantineEntry("order line", h.LineId, h.Reason, "")));
        }

        var documents = await renderer.RenderPendingAsync(cancellationToken);
        report.DocumentsRendered += documents.Count;
        report.Warnings.AddRange(documents.Warnings());
        await ClearAsync(stored.BillNow, report, cancellationToken);
    }

    /// <summary>Unticks the Bill Now boxes of orders just billed (one write per 200 orders; a failure is a warning: billing again bills nothing twice).</summary>
    public async Task ClearAsync(IReadOnlyDictionary<string, string> boxes, CycleReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(report);
        if (boxes.Count == 0)
        {
            return;
        }

        var records = boxes.Select(b => new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Order" }, ["Id"] = b.Key, [b.Value] = false }).ToList();
        try
        {
            var results = await salesforce.UpdateAsync(records, cancellationToken);
            report.WrittenBack["Order"] = report.WrittenBack.GetValueOrDefault("Order") + results.Count(r => r.Success);
            report.Warnings.AddRange(results.Select((r, i) => (Result: r, Order: records[i]["Id"]!.GetValue<string>())).Where(r => !r.Result.Success).Select(r =>
                $"Order {r.Order}: its Bill Now box could not be cleared ({string.Join("; ", r.Result.Errors.Select(e => e.Message))}); it was billed, and billing it again bills nothing twice."));
        }
        catch (SalesforceApiException ex)
        {
            report.Warnings.Add($"The Bill Now boxes of {boxes.Count} orders could not be cleared ({ex.ErrorCode}: {ex.Message}); they were billed, and billing them again bills nothing twice.");
        }
    }
}
