using System.CommandLine;
using System.Globalization;
using Connector.Invoicing.Runs;
using Connector.Worker.Demo;
using Connector.Worker.Hosting;
using Connector.Sync.Cycles;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Cli;

/// <summary>The <c>connector</c> command line: one verb per job, each with <c>--help</c>.</summary>
internal static class ConnectorCli
{
    /// <summary>
    /// Runs the command line. Words it cannot parse (an unknown verb or option, a verb without its subcommand) are bad
    /// input: exit 2, what was wrong on stderr with where to find the usage, nothing on stdout.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parsed = Build(output, error).Parse(args);
        if (parsed.Errors.Count == 0)
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        }

        foreach (var problem in parsed.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
        {
            await error.WriteLineAsync(problem);
        }

        var path = new List<string>();
        for (var command = parsed.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, command.Parent is null ? "connector" : command.Command.Name);
        }

        await error.WriteLineAsync($"See '{string.Join(" ", path)} --help'.");
        return ExitCodes.BadInput;
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("The Salesforce invoicing connector: reads CPQ orders, posts invoices and writes them back to the org.");
        root.Subcommands.Add(Sync(output, error));
        root.Subcommands.Add(Run(error));
        root.Subcommands.Add(HealthCheck(error));
        root.Subcommands.Add(InvoiceRun(output, error));
        root.Subcommands.Add(Demo(output, error));
        root.Subcommands.Add(Sandbox.SandboxCommand.Build(output, error));
        root.Subcommands.Add(SimulateCommand.Build(output, error));
        root.Subcommands.Add(ForecastCommand.Build(output, error));
        root.Subcommands.Add(UsageCommand.Build(output, error));
        root.Subcommands.Add(ReceivablesCommand.Build(output, error));
        root.Subcommands.Add(Mappings.MappingsCommand.Build(output, error));
        root.Subcommands.Add(Operations.OperationsCommands.Status(output, error));
        root.Subcommands.Add(Operations.OperationsCommands.Quarantine(output, error));
        root.Subcommands.Add(Operations.OperationsCommands.Documents(output, error));
        root.Subcommands.Add(Operations.VeriFactuCommand.Build(output, error));
        return root;
    }

    private static Command Sync(TextWriter output, TextWriter error)
    {
        var once = new Option<bool>("--once") { Description = "Run one ingest, bill, document and write-back cycle, then exit (Kubernetes CronJob mode); write-backs that fail transiently are retried within Connector__Sync__OnceRetryWindow (default 2 min). Exit 0 when all went through, 1 when something needs a person (records newly quarantined, write-backs parked as failed or still waiting for a retry, or the cycle could not run), 2 on bad settings or mapping." };
        var command = new Command("sync", "Synchronise with the org configured by Connector__Salesforce__* settings.") { once };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            if (!result.GetValue(once))
            {
                await error.WriteLineAsync("sync needs --once (one cycle, then exit); use 'connector run' to keep running.");
                return ExitCodes.BadInput;
            }

            using var host = ConnectorHost.Build();
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            var report = await host.Services.GetRequiredService<SyncCycle>().RunOnceAsync(cancellationToken);
            ReportPrinter.Print(report, output);
            await host.StopAsync(cancellationToken);
            // A CronJob's failed Job is the alert: new quarantine entries or parked write-backs need a person. Each is
            // reported once (a record is quarantined when first seen), so a problem alerts once, not every run.
            return report.NeedsAttention ? ExitCodes.Failure : ExitCodes.Success;
        }));
        return command;
    }

    private static Command Run(TextWriter error)
    {
        var command = new Command("run", "Run continuously until SIGTERM or Ctrl+C: ingest every Connector__Sync__PollInterval, invoice runs on Connector__Sync__InvoiceRunSchedule (cron, billing time zone), write-back continuously; one replica at a time (lease); /healthz, /readyz and /metrics on Connector__Health__Port (default 8080).");
        command.SetAction((_, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            await using var app = ConnectorHost.BuildService();
            await ConnectorHost.PrepareAsync(app, cancellationToken);
            await app.Services.GetRequiredService<ServiceRunner>().RunAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command HealthCheck(TextWriter error)
    {
        var command = new Command("healthcheck", "Ask a running 'connector run' on this machine for /healthz (the container's HEALTHCHECK); exit 0 when healthy.");
        command.SetAction(async (_, cancellationToken) =>
        {
            int port;
            try
            {
                port = ConnectorHost.HealthPort(ConnectorHost.Configuration());
            }
            catch (Exception ex) when (ex is ConfigurationException or InvalidOperationException)
            {
                await error.WriteLineAsync(ex is ConfigurationException c ? string.Join(Environment.NewLine, c.Problems) : ex.Message);
                return ExitCodes.BadInput;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/healthz"), cancellationToken);
                return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await error.WriteLineAsync($"unhealthy: {ex.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static Command InvoiceRun(TextWriter output, TextWriter error)
    {
        var targetDate = new Option<string?>("--target-date") { Description = "Bill everything due up to this date (yyyy-MM-dd). Default: today in the billing time zone." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be billed; post nothing." };
        var batch = new Option<string?>("--batch") { Description = "Bill only orders of this invoice batch (the mapping's invoiceBatch input)." };
        var command = new Command("invoice-run", "Run invoicing on the stored orders, without contacting the org.") { targetDate, dryRun, batch };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            DateOnly date;
            if (result.GetValue(targetDate) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
                {
                    await error.WriteLineAsync($"--target-date = '{text}' is not allowed: use yyyy-MM-dd.");
                    return ExitCodes.BadInput;
                }
            }
            else
            {
                date = host.Services.GetRequiredService<BillingClock>().Today();
            }

            if (result.GetValue(batch) is { } invoiceBatch
                && !await host.Services.GetRequiredService<Connector.Invoicing.Storage.BookStore>().InvoiceBatchExistsAsync(invoiceBatch, cancellationToken))
            {
                await error.WriteLineAsync($"Warning: no stored order is in invoice batch '{invoiceBatch}' (the mapping's invoiceBatch input); nothing can be billed for it.");
            }

            var run = await host.Services.GetRequiredService<InvoiceRunner>().RunAsync(date, result.GetValue(dryRun), progress: null, invoiceBatch: result.GetValue(batch), cancellationToken);
            await output.WriteLineAsync($"{(run.DryRun ? "Would post" : "Posted")} {run.Invoices.Count} invoices and {run.CreditNotes.Count} credit notes for target date {date:yyyy-MM-dd}");
            ReportPrinter.PrintInvoices(run.Invoices, output);
            foreach (var held in run.HeldLines)
            {
                await output.WriteLineAsync($"{(run.DryRun ? "Would hold" : "Held")} order line {held.LineId} of account {held.AccountId}: {held.Reason}");
            }

            await host.StopAsync(cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Demo(TextWriter output, TextWriter error)
    {
        var database = new Option<string>("--database") { Description = "SQLite file the demo keeps its state in.", DefaultValueFactory = _ => "demo.db" };
        var outputDirectory = new Option<string>("--out") { Description = "Folder the invoice PDFs are written to.", DefaultValueFactory = _ => "out" };
        var command = new Command("demo", "Run the whole loop against an in-process sandbox org on SQLite; PDFs go to ./out/.") { database, outputDirectory };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, () =>
            DemoRunner.RunAsync(result.GetValue(database)!, result.GetValue(outputDirectory)!, output, cancellationToken)));
        return command;
    }
}
