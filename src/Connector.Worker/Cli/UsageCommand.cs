using System.CommandLine;
using System.Globalization;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Usage;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Cli;

/// <summary>
/// <c>connector usage import FILE.csv [--dry-run]</c>: usage measured outside Salesforce, all or nothing; importing the
/// same file again changes nothing. The next invoice run bills it, on the same invoices as the org's charges.
/// </summary>
internal static class UsageCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("usage", "Usage records for usage-based order products (those with a consumption schedule).");
        command.Subcommands.Add(Import(output, error));
        return command;
    }

    private static Command Import(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV with a header row: usageId,orderItemId,usageDate,quantity[,unitOfMeasure][,matchingAttribute]; dates yyyy-MM-dd, decimals with '.', a negative quantity corrects an earlier record." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and say what would be stored; store nothing." };
        var command = new Command("import", "Import usage records from a CSV file, all or nothing; a usage id already stored with the same content is skipped, with other content refused.") { file, dryRun };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var path = result.GetValue(file)!;
            IReadOnlyList<UsageRecord> records;
            IReadOnlyList<string> problems;
            try
            {
                using var reader = new StreamReader(path.FullName);
                (records, problems) = UsageCsv.Parse(reader, path.Name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{path}: cannot read the file: {ex.Message}");
                return ExitCodes.BadInput;
            }

            if (problems.Count > 0)
            {
                return await RefuseAsync(path.Name, problems, error);
            }

            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            var dry = result.GetValue(dryRun);
            var imported = await host.Services.GetRequiredService<UsageImporter>().ImportAsync(records, "file:" + path.Name, dry, cancellationToken);
            await host.StopAsync(cancellationToken);
            if (imported.Problems.Count > 0)
            {
                return await RefuseAsync(path.Name, imported.Problems, error);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path.Name}: {imported.Read} usage records, {imported.Stored} {(dry ? "would be stored" : "stored")}, {imported.AlreadyStored} already stored{(dry ? " (dry run: nothing was stored)" : "")}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> RefuseAsync(string name, IReadOnlyList<string> problems, TextWriter error)
    {
        const int shown = 20;
        foreach (var problem in problems.Take(shown))
        {
            await error.WriteLineAsync($"{name}: {problem}");
        }

        if (problems.Count > shown)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: … and {problems.Count - shown} more problems"));
        }

        await error.WriteLineAsync($"{name}: nothing was imported (all or nothing); correct the file and import it again.");
        return ExitCodes.BadInput;
    }
}
