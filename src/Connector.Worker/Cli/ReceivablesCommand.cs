using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Worker.Simulation;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Cli;

/// <summary>
/// <c>connector receivables report</c> (balances, overdue, aging and DSO per account) and
/// <c>connector receivables apply EVENTS.json [--dry-run]</c> (payments, reversals, refunds, credit applications,
/// disputes and credit notes, in the scenario format, all or nothing).
/// </summary>
internal static class ReceivablesCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("receivables", "What accounts owe, and the events that change it (payments, disputes, credit notes).");
        command.Subcommands.Add(Report(output, error));
        command.Subcommands.Add(Apply(output, error));
        return command;
    }

    private static Command Report(TextWriter output, TextWriter error)
    {
        var asOf = new Option<string?>("--as-of") { Description = "The day balances and aging are taken on (yyyy-MM-dd). Default: today in the billing time zone." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("report", "Per account and currency: billed, paid, credited, balance, overdue, disputed, unapplied credit and aging; per currency: aging and DSO.") { asOf, json };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            if (await DateOption(result.GetValue(asOf), "--as-of", error) is not { } day)
            {
                return ExitCodes.BadInput;
            }

            var report = await host.Services.GetRequiredService<ReceivablesService>().ReportAsync(day == default ? host.Services.GetRequiredService<BillingClock>().Today() : day, cancellationToken);
            var names = await host.Services.GetRequiredService<Connector.Invoicing.Storage.BookStore>().AccountNamesAsync(cancellationToken);
            await output.WriteAsync(result.GetValue(json) ? Json(report, names) : Table(report, names));
            await host.StopAsync(cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Apply(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("events") { Description = "JSON with an \"events\" list in the scenario format (docs/scenario-format.md): payment, paymentReversal, refund, applyCredit, dispute, resolveDispute, creditNote; each names its account; payments and disputes their id." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and show what would change; save nothing." };
        var command = new Command("apply", "Apply receivables events to the stored book, all or nothing; a refused event exits 2 with its JSON path.") { file, dryRun };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var path = result.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{path}: cannot read the events: {ex.Message}");
                return ExitCodes.BadInput;
            }

            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            LedgerChanges changes;
            try
            {
                changes = await host.Services.GetRequiredService<ReceivablesService>().ApplyAsync(text, host.Services.GetRequiredService<BillingClock>().Today(), result.GetValue(dryRun), cancellationToken);
            }
            catch (ScenarioException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    await error.WriteLineAsync($"{path.Name}: {problem}");
                }

                return ExitCodes.BadInput;
            }

            var verb = result.GetValue(dryRun) ? "Would record" : "Recorded";
            await output.WriteLineAsync(Invariant($"{verb} {changes.Payments.Count} payments, {changes.ReversedPayments.Count} reversals, {changes.Allocations.Count} allocations, {changes.Refunds.Count} refunds, {changes.Disputes.Count} disputes, {changes.Resolutions.Count} resolutions, {changes.CreditNotes.Count} credit notes, {changes.Invoices.Count} rebilled invoices."));
            foreach (var allocation in changes.Allocations)
            {
                await output.WriteLineAsync(Invariant($"  {allocation.Source} {allocation.SourceId} -> {allocation.InvoiceNumber}: {allocation.Amount}"));
            }

            foreach (var note in changes.CreditNotes)
            {
                await output.WriteLineAsync(Invariant($"  {note.Number} corrects {note.CorrectsNumber}: {note.Total} ({note.Reason})"));
            }

            await host.StopAsync(cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<DateOnly?> DateOption(string? text, string name, TextWriter error)
    {
        if (text is null)
        {
            return default(DateOnly);
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        await error.WriteLineAsync($"{name} = '{text}' is not allowed: use yyyy-MM-dd.");
        return null;
    }

    private static string Table(ReceivablesReport report, IReadOnlyDictionary<string, string> names)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(Invariant($"Receivables on {report.AsOf:yyyy-MM-dd}"));
        text.AppendLine(Invariant($"{"account",-30} {"cur",-4} {"billed",13} {"paid",13} {"credited",12} {"balance",13} {"overdue",12} {"disputed",10} {"unapplied",10}"));
        foreach (var b in report.Accounts)
        {
            text.AppendLine(Invariant($"{ReportPrinter.Column(names.GetValueOrDefault(b.AccountId, b.AccountId), 30),-30} {b.Currency.Code,-4} {b.Billed.ToPlainString(),13} {b.Paid.ToPlainString(),13} {b.Credited.ToPlainString(),12} {b.Balance.ToPlainString(),13} {b.Overdue.ToPlainString(),12} {b.Disputed.ToPlainString(),10} {b.UnappliedCredit.ToPlainString(),10}"));
        }

        foreach (var c in report.Currencies)
        {
            text.AppendLine(Invariant($"{c.Currency.Code}: receivable {c.Receivable.ToPlainString()}, DSO {(c.Dso is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) + " days" : "n/a")}; aging current {c.Aging.Current.ToPlainString()}, 1-30 {c.Aging.Days1To30.ToPlainString()}, 31-60 {c.Aging.Days31To60.ToPlainString()}, 61-90 {c.Aging.Days61To90.ToPlainString()}, 90+ {c.Aging.Over90.ToPlainString()}"));
        }

        return text.ToString();
    }

    private static string Json(ReceivablesReport report, IReadOnlyDictionary<string, string> names)
    {
        static Dictionary<string, string> Aging(Aging a) => new(StringComparer.Ordinal)
        {
            ["current"] = a.Current.ToPlainString(), ["1-30"] = a.Days1To30.ToPlainString(), ["31-60"] = a.Days31To60.ToPlainString(),
            ["61-90"] = a.Days61To90.ToPlainString(), ["90+"] = a.Over90.ToPlainString(),
        };

        var document = new
        {
            asOf = report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            accounts = report.Accounts.Select(b => new
            {
                id = b.AccountId, name = names.GetValueOrDefault(b.AccountId), currency = b.Currency.Code, billed = b.Billed.ToPlainString(), paid = b.Paid.ToPlainString(), credited = b.Credited.ToPlainString(),
                refunded = b.Refunded.ToPlainString(), balance = b.Balance.ToPlainString(), overdue = b.Overdue.ToPlainString(), disputed = b.Disputed.ToPlainString(),
                unappliedCredit = b.UnappliedCredit.ToPlainString(), aging = Aging(b.Aging),
            }),
            currencies = report.Currencies.Select(c => new
            {
                currency = c.Currency.Code, receivable = c.Receivable.ToPlainString(), billedLast90Days = c.BilledLast90Days.ToPlainString(),
                dso = c.Dso?.ToString("0.0", CultureInfo.InvariantCulture), aging = Aging(c.Aging),
            }),
        };
        return JsonSerializer.Serialize(document, Indented) + Environment.NewLine;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
