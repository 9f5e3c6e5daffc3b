using System.Globalization;
using System.Text;
using Connector.Invoicing.Invoices;

namespace Connector.Worker.Simulation;

/// <summary>The simulation's result as plain-text tables for people; the JSON output is the stable contract.</summary>
internal static class ScenarioTable
{
    public static string Text(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ledger = result.Book.Ledger;
        var text = new StringBuilder();
        foreach (var invoice in ledger.Invoices.OrderBy(i => i.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal))
        {
            var balance = ledger.BalanceOf(invoice, result.AsOf);
            Line(text, $"{invoice.Number}  {invoice.AccountId}  issued {invoice.IssueDate:yyyy-MM-dd}  due {invoice.DueDate:yyyy-MM-dd}  {invoice.Currency.Code}  {balance.Status}");
            Lines(text, invoice.Lines);
            Line(text, $"{"",-60} net {invoice.Net.ToPlainString(),12}  tax {invoice.Tax.ToPlainString(),10}  total {invoice.Total.ToPlainString(),12}");
            Line(text, $"{"",-60} paid {balance.Paid.ToPlainString(),11}  credited {balance.Credited.ToPlainString(),5}  balance {balance.Balance.ToPlainString(),10}");
            text.AppendLine();
        }

        foreach (var note in ledger.CreditNotes.OrderBy(n => n.IssueDate).ThenBy(n => n.Number, StringComparer.Ordinal))
        {
            var (allocated, available) = ledger.UsageOf(note);
            Line(text, $"{note.Number}  {note.AccountId}  issued {note.IssueDate:yyyy-MM-dd}  {(note.CorrectsNumber is null ? "account credit" : $"corrects {note.CorrectsNumber} of {note.CorrectsIssueDate:yyyy-MM-dd}")}: {note.Reason}");
            Lines(text, note.Lines);
            Line(text, $"{"",-60} total {note.Total.ToPlainString(),10}  allocated {allocated.ToPlainString(),10}  available {available.ToPlainString(),10}");
            text.AppendLine();
        }

        Line(text, $"{"account",-12} {"cur",-4} {"billed",12} {"paid",12} {"credited",12} {"balance",12} {"overdue",12} {"disputed",10} {"unapplied",10}");
        foreach (var account in result.Book.Accounts.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            foreach (var b in ledger.AccountBalances(account.Id, result.AsOf))
            {
                Line(text, $"{b.AccountId,-12} {b.Currency.Code,-4} {b.Billed.ToPlainString(),12} {b.Paid.ToPlainString(),12} {b.Credited.ToPlainString(),12} {b.Balance.ToPlainString(),12} {b.Overdue.ToPlainString(),12} {b.Disputed.ToPlainString(),10} {b.UnappliedCredit.ToPlainString(),10}");
            }
        }

        if (result.Book.UsageReports.Count > 0)
        {
            text.AppendLine();
            Line(text, $"{"usage",-12} {"line",-8} {"date",-10} {"quantity",12}  {"status",-9} {"document",-10} reason");
            foreach (var report in result.Book.UsageReports)
            {
                var status = result.Book.StatusOf(report);
                Line(text, $"{Truncate(report.Record.Id, 12),-12} {report.Record.LineId,-8} {report.Record.Date:yyyy-MM-dd} {ScenarioWriter.Plain(report.Record.Quantity),12}  {status.State,-9} {status.Document ?? "",-10} {status.Reason}");
            }
        }

        if (result.Forecast is { } forecast)
        {
            text.AppendLine();
            text.AppendLine(result.Book.HasUsageLines ? "forecast (net committed; usage estimated apart)" : "forecast (net)");
            foreach (var month in forecast)
            {
                Line(text, $"  {month.Year:0000}-{month.Month:00}  {month.AccountId ?? "all",-12} {month.Currency.Code} {month.Net.ToPlainString(),14}{(result.Book.HasUsageLines ? $"  usage est. {month.UsageEstimate.ToPlainString(),12}" : "")}");
            }
        }

        return text.ToString();
    }

    private static void Lines(StringBuilder text, IReadOnlyList<InvoiceLine> lines)
    {
        foreach (var line in lines)
        {
            Line(text, $"  {line.LineNumber,3} {line.OrderLineId,-8} {Truncate(line.Description, 24),-24} {line.Period.Start:yyyy-MM-dd}..{line.Period.End:yyyy-MM-dd} x{ScenarioWriter.Plain(line.Quantity),-5} {(line.Usage is { } usage ? (usage.Late ? "late usage   " : "usage        ") : $"f {line.ProrationFactor:0.000000000}")} {line.Net.ToPlainString(),12}  {ScenarioWriter.Plain(line.TaxRatePercent)}%");
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static void Line(StringBuilder text, FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture).TrimEnd());
}
