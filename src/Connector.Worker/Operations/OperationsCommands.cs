using Connector.Sync.Leases;
using Connector.Sync.WriteBack;
using Connector.Sync.Quarantine;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Connector.Invoicing.Storage;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Connector.Sync.Cycles;

namespace Connector.Worker.Operations;

/// <summary><c>connector status</c> and <c>connector quarantine list|retry|discard</c>: the database's view, no org needed.</summary>
internal static class OperationsCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Status(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts." };
        var command = new Command("status", "Last cycle, write-back backlog, quarantine and invoices, from the database.") { json };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = await LocalHostAsync(cancellationToken);
            var status = await ReadStatusAsync(host.Services, cancellationToken);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    lastCycles = status.LastCycles.Select(c => new { c.Kind, c.StartedAt, c.FinishedAt, c.Outcome, summary = JsonDocument.Parse(c.Summary).RootElement, c.Error }),
                    outbox = status.Outbox,
                    retries = status.Retries,
                    openQuarantine = status.OpenQuarantine,
                    invoices = status.Invoices,
                    leader = status.Leader,
                    changeEventChannels = status.Channels,
                }, Json));
                return ExitCodes.Success;
            }

            foreach (var cycle in status.LastCycles)
            {
                var seconds = (cycle.FinishedAt - cycle.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"Last {cycle.Kind} cycle:   {cycle.FinishedAt:yyyy-MM-dd HH:mm:ss}Z  {cycle.Outcome} in {seconds} s{(cycle.Error is null ? "" : "  " + cycle.Error)}");
                await output.WriteLineAsync($"  summary:         {cycle.Summary}");
            }

            if (status.LastCycles.Count == 0)
            {
                await output.WriteLineAsync("Last cycle:        none yet");
            }

            await output.WriteLineAsync(status.Leader is { } leader
                ? $"Lease holder:      {leader.Holder} (since {leader.AcquiredAt:yyyy-MM-dd HH:mm:ss}Z, lease until {leader.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z)"
                : "Lease holder:      none (no 'connector run' has led yet)");
            await output.WriteLineAsync($"Write-back:        {status.Outbox.GetValueOrDefault("Pending")} pending, {status.Outbox.GetValueOrDefault("Failed")} failed, {status.Outbox.GetValueOrDefault("Done")} done");
            if (status.Retries is { Count: > 0 } retries)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  waiting retry:   {retries.Count} after transient failures (oldest queued {retries.Oldest:yyyy-MM-dd HH:mm:ss}Z, next retry {retries.NextAttemptAt:yyyy-MM-dd HH:mm:ss}Z): {retries.LastError}"));
            }

            var allocation = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Connector.Sync.ChangeEvents.ChangeEventOptions>>().Value.DailyDeliveryAllocation;
            foreach (var channel in status.Channels ?? [])
            {
                await output.WriteLineAsync(ChannelLine(channel, allocation, DateOnly.FromDateTime(host.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)));
            }

            await output.WriteLineAsync($"Quarantine:        {status.OpenQuarantine} open (connector quarantine list)");
            if (status.PendingPayments > 0)
            {
                await output.WriteLineAsync($"Payments waiting:  {status.PendingPayments} from the org, applied by the next invoice run (an account without orders keeps its payments waiting)");
            }

            await output.WriteLineAsync(status.Invoices.Count == 0
                ? "Invoices:          none posted"
                : $"Invoices:          {status.Invoices.Count} posted, last {status.Invoices.LastNumber} issued {status.Invoices.LastIssueDate:yyyy-MM-dd}");
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Quarantine(TextWriter output, TextWriter error)
    {
        var command = new Command("quarantine", "Records the mapping could not use: list them, retry them with the current mapping, or discard them.");

        var json = new Option<bool>("--json") { Description = "Print JSON for scripts." };
        var list = new Command("list", "List open quarantine rows with their reasons.") { json };
        list.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = await LocalHostAsync(cancellationToken);
            var rows = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new { r.Id, r.ObjectName, r.RecordId, r.Reason, r.CreatedAt }), Json));
                return ExitCodes.Success;
            }

            await output.WriteLineAsync($"{rows.Count} open");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"  #{row.Id}  {row.CreatedAt:yyyy-MM-dd HH:mm}Z  {row.Reason}");
            }

            return ExitCodes.Success;
        }));

        var retryIds = new Option<long[]>("--id") { Description = "Rows to retry (repeat for several). Default: every open row.", AllowMultipleArgumentsPerToken = true };
        var retry = new Command("retry", "Map the quarantined records again with the current mapping; what now maps is stored and billed on the next run.") { retryIds };
        retry.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = await LocalHostAsync(cancellationToken);
            var ids = result.GetValue(retryIds);
            var outcome = await host.Services.GetRequiredService<QuarantineService>().RetryAsync(ids is { Length: > 0 } ? ids : null, cancellationToken);
            await output.WriteLineAsync($"{outcome.Resolved.Count} resolved, {outcome.StillFailing.Count} still quarantined");
            foreach (var entry in outcome.StillFailing)
            {
                await output.WriteLineAsync($"  - {entry.Reason}");
            }

            return outcome.StillFailing.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));

        var discardIds = new Option<long[]>("--id") { Description = "Rows to discard (repeat for several).", Required = true, AllowMultipleArgumentsPerToken = true };
        var discard = new Command("discard", "Close quarantine rows without using their records (they are kept in the database).") { discardIds };
        discard.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = await LocalHostAsync(cancellationToken);
            var count = await host.Services.GetRequiredService<QuarantineStore>().DiscardAsync(result.GetValue(discardIds)!, cancellationToken);
            await output.WriteLineAsync($"{count} discarded");
            return ExitCodes.Success;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(retry);
        command.Subcommands.Add(discard);
        return command;
    }

    public static Command Documents(TextWriter output, TextWriter error)
    {
        var command = new Command("documents", "The posted documents' files: PDFs and UBL e-invoices.");
        var numbers = new Argument<string[]>("invoice") { Description = "Invoice numbers, e.g. INV-000042.", Arity = ArgumentArity.OneOrMore };
        var rerender = new Command("rerender", "Render these invoices' PDFs again (after an upgrade changed the layout, say). The invoices do not change; a PDF that comes out different is sent to the org as a new version of its file by the next write-back.") { numbers };
        rerender.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = await LocalHostAsync(cancellationToken);
            var outcomes = await host.Services.GetRequiredService<Connector.Invoicing.Documents.DocumentRenderer>().RerenderAsync(result.GetValue(numbers)!, cancellationToken);
            foreach (var (number, outcome) in outcomes)
            {
                await output.WriteLineAsync(number + ": " + outcome switch
                {
                    Connector.Invoicing.Documents.RerenderOutcome.Rendered => "rendered (it had none); queued for upload",
                    Connector.Invoicing.Documents.RerenderOutcome.NewVersion => "changed; queued as a new version of its file",
                    Connector.Invoicing.Documents.RerenderOutcome.Unchanged => "unchanged; nothing to send",
                    _ => "no posted invoice has this number",
                });
            }

            return outcomes.Any(o => o.Outcome == Connector.Invoicing.Documents.RerenderOutcome.NoSuchInvoice) ? ExitCodes.Failure : ExitCodes.Success;
        }));
        command.Subcommands.Add(rerender);
        command.Subcommands.Add(DocumentExport.Build(output, error));
        return command;
    }

    /// <summary>One change event channel: its position, the lag of its last event, today's events against the allocation, and its fallback polls.</summary>
    internal static string ChannelLine(Connector.Sync.ChangeEvents.ChannelState channel, long allocation, DateOnly today)
    {
        var todays = channel.EventsDay == today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ? channel.EventsToday : 0;
        var lag = channel.LastCommitAt is { } committed && channel.LastAppliedAt is { } applied
            ? string.Create(CultureInfo.InvariantCulture, $", last event {(Connector.Storage.DbText.ParseInstant(applied) - Connector.Storage.DbText.ParseInstant(committed)).TotalSeconds:0.0} s after its commit")
            : "";
        var fallback = channel.FallbackPolls == 0 ? "no fallback polls" : $"{channel.FallbackPolls} fallback poll{(channel.FallbackPolls == 1 ? "" : "s")}, last {channel.LastFallbackAt}: {channel.LastFallbackReason}";
        return string.Create(CultureInfo.InvariantCulture,
            $"Change events:     {channel.Channel}: replay id {(channel.ReplayId is null ? "none (the next start polls)" : "stored")}{lag}; {todays} events today of {allocation} daily deliveries ({100.0 * todays / allocation:0.0}%), {channel.OwnSkipped} own skipped; {fallback}");
    }

    internal static async Task<StatusReport> ReadStatusAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        return new StatusReport(
            await services.GetRequiredService<CycleStore>().LastCyclesAsync(cancellationToken),
            await services.GetRequiredService<OutboxStore>().CountByStatusAsync(cancellationToken),
            (await services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken)).Count,
            await services.GetRequiredService<InvoiceStore>().StatsAsync(cancellationToken),
            await services.GetRequiredService<LeaseStore>().FindAsync(ServiceRunner.LeaseName, cancellationToken),
            await services.GetRequiredService<OrderStore>().PendingPaymentsAsync(cancellationToken),
            await services.GetRequiredService<OutboxStore>().RetriesAsync(cancellationToken),
            await services.GetRequiredService<Connector.Sync.ChangeEvents.ChannelStore>().ListAsync(cancellationToken));
    }

    private static async Task<IHost> LocalHostAsync(CancellationToken cancellationToken)
    {
        var host = ConnectorHost.Build(local: true);
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        return host;
    }
}
