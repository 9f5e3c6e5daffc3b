using System.Globalization;
using Connector.Invoicing.Invoices;
using Connector.Sync.Cycles;

namespace Connector.Worker.Cli;

/// <summary>Prints a cycle report as a short table for people.</summary>
internal static class ReportPrinter
{
    public static void Print(CycleReport report, TextWriter output)
    {
        output.WriteLine(Invariant($"Records read:        {report.Read("Account")} accounts, {report.Read("Order")} orders, {report.Read("OrderItem")} order products"));
        var others = report.RecordsRead.Where(r => r.Value > 0 && r.Key is not ("Account" or "Order" or "OrderItem")).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            output.WriteLine("Also read:           " + string.Join(", ", others.Select(r => Invariant($"{r.Value} {r.Key}"))));
        }

        output.WriteLine(Invariant($"Quarantined:         {report.Quarantined.Count}"));
        foreach (var entry in report.Quarantined)
        {
            // Mapping problems name their record already; a held line's reason is about the line, so say which one.
            output.WriteLine(entry.Reason.Contains(entry.RecordId, StringComparison.Ordinal) ? $"  - {entry.Reason}" : $"  - {entry.ObjectName} {entry.RecordId}: {entry.Reason}");
        }

        if (report.RecordsDeleted.Count > 0)
        {
            output.WriteLine("Deleted in the org:  " + string.Join(", ", report.RecordsDeleted.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => Invariant($"{d.Value} {d.Key}")))
                + " (those stored here hold their billing and are listed by 'quarantine list')");
        }

        foreach (var warning in report.Warnings)
        {
            output.WriteLine($"Warning:             {warning}");
        }

        output.WriteLine(Invariant($"Invoices posted:     {report.InvoicesPosted.Count}"));
        PrintInvoices(report.InvoicesPosted, output);
        if (report.CreditNotesPosted.Count > 0)
        {
            output.WriteLine(Invariant($"Credit notes posted: {report.CreditNotesPosted.Count}"));
            foreach (var note in report.CreditNotesPosted)
            {
                var corrects = note.CorrectsNumber is null ? "account credit" : "corrects " + note.CorrectsNumber;
                output.WriteLine(Invariant($"  {note.Number,-12} {corrects,-24} {note.Lines.Count,3} lines  net {note.Net.ToPlainString(),12}  VAT {note.Tax.ToPlainString(),10}  total {note.Total.ToPlainString(),12} {note.Currency.Code}"));
            }
        }

        output.WriteLine(Invariant($"Documents rendered:  {report.DocumentsRendered}"));
        var written = report.WrittenBack.Count == 0 ? "" : " (" + string.Join(", ", report.WrittenBack.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => Invariant($"{w.Value} {w.Key}"))) + ")";
        output.WriteLine(Invariant($"Written back:        {report.TotalWrittenBack}{written}"));
        if (report.WriteBackFailures.Count > 0)
        {
            output.WriteLine(Invariant($"Write-back failures: {report.WriteBackFailures.Count}"));
            foreach (var failure in report.WriteBackFailures)
            {
                output.WriteLine($"  - {failure}");
            }
        }

        if (report.StillPending is { Count: > 0 } pending)
        {
            output.WriteLine(Invariant($"Still to write back: {pending.Count} waiting for a retry (oldest queued {pending.Oldest:yyyy-MM-dd HH:mm:ss}Z, next retry {pending.NextAttemptAt:yyyy-MM-dd HH:mm:ss}Z): {pending.LastError}"));
        }

        output.WriteLine(Invariant($"API calls used:      {report.ApiCalls}"));
        if (report.Paused is { } paused)
        {
            output.WriteLine($"Paused:              {paused}; the outbox keeps what is to be written, and work resumes when usage falls.");
        }
    }

    public static void PrintInvoices(IReadOnlyList<Invoice> invoices, TextWriter output)
    {
        foreach (var invoice in invoices)
        {
            output.WriteLine(Invariant($"  {invoice.Number,-12} {Fit(invoice.Buyer.Name, 24),-24} {invoice.Lines.Count,3} lines  net {invoice.Net.ToPlainString(),12}  VAT {invoice.Tax.ToPlainString(),10}  total {invoice.Total.ToPlainString(),12} {invoice.Currency.Code}  due {invoice.DueDate:yyyy-MM-dd}"));
        }
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A value cut to a table column's width, visibly (a trailing …), on one line.</summary>
    public static string Column(string text, int width)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }
}
