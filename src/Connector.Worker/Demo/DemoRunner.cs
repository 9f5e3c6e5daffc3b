using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Sandbox;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Connector.Sync.Cycles;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Demo;

/// <summary>
/// <c>connector demo</c>: starts the in-process sandbox org (seeded with CPQ orders), runs a full cycle against it on
/// SQLite, then cancels one customer's contract in the org (as a sales user would) and runs a second cycle, which
/// credits what was billed beyond the new end; writes the invoice and credit note PDFs to an output folder and prints
/// what happened. Run twice, the second run posts and writes nothing new: the database remembers what was billed and
/// written.
/// </summary>
internal static class DemoRunner
{
    public static async Task<int> RunAsync(string databasePath, string outputDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        using var credentials = new SandboxCredentials();
        var org = new SandboxOrg(credentials, TimeProvider.System);
        SandboxSeed.Demo(org.Data, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
        using var server = SandboxServer.Start(org);
        var keyDirectory = Directory.CreateTempSubdirectory("connector-demo-");
        try
        {
            var overrides = SandboxSettings(server, credentials.WritePrivateKeyFile(keyDirectory.FullName), $"Data Source={databasePath}");
            overrides["Logging:LogLevel:Default"] = "Warning"; // the demo prints its own summary
            using var host = ConnectorHost.Build(overrides);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            output.WriteLine($"Sandbox org at {server.Url} · database {Path.GetFullPath(databasePath)} · billing date {host.Services.GetRequiredService<BillingClock>().Today():yyyy-MM-dd}");
            output.WriteLine();

            var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);
            ReportPrinter.Print(report, output);

            // Customers cancel in the org (Nordlys at the end of this month, three platform subscriptions with last month): the next cycle credits the rest.
            var today = host.Services.GetRequiredService<BillingClock>().Today();
            org.Locked(data => { SandboxSeed.Cancel(data, today); return 0; });
            output.WriteLine();
            output.WriteLine("Cancelled in the org: Nordlys ApS's contract ends this month; the platform subscriptions of Acme, Globex and Al Amal ended last month. The next cycle:");
            ReportPrinter.Print(await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken), output);
            output.WriteLine();

            var documents = await host.Services.GetRequiredService<DocumentStore>().ListAsync(cancellationToken);
            Directory.CreateDirectory(outputDirectory);
            foreach (var document in documents)
            {
                await File.WriteAllBytesAsync(Path.Combine(outputDirectory, document.FileName), document.Content, cancellationToken);
            }

            var pdfs = documents.Where(d => d.Format == DocumentFormat.Pdf).ToList();
            output.WriteLine($"PDFs in {Path.GetFullPath(outputDirectory)}: {Count(pdfs.Count(d => d.Owner == DocumentOwner.Invoice), "invoice")}, {Count(pdfs.Count(d => d.Owner == DocumentOwner.CreditNote), "credit note")}; "
                + $"beside each its UBL file (EN 16931, Peppol BIS Billing 3.0): {Count(documents.Count(d => d.Format == DocumentFormat.Ubl), "XML file")}");
            await VeriFactuAsync(host.Services.GetRequiredService<Connector.Invoicing.VeriFactu.VeriFactuLedger>(), outputDirectory, output, cancellationToken);
            await host.StopAsync(cancellationToken);
            return ExitCodes.Success;
        }
        finally
        {
            keyDirectory.Delete(recursive: true);
        }
    }

    /// <summary>The Spanish entity's VERI*FACTU records: written beside the documents and their chain verified, as <c>connector verifactu verify</c> does.</summary>
    private static async Task VeriFactuAsync(Connector.Invoicing.VeriFactu.VeriFactuLedger ledger, string outputDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var issuer in await ledger.IssuersAsync(cancellationToken))
        {
            var chain = await ledger.ChainAsync(issuer, cancellationToken);
            foreach (var record in chain)
            {
                await File.WriteAllTextAsync(Path.Combine(outputDirectory, record.Number + ".verifactu.xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + record.Xml + "\n", cancellationToken);
            }

            var report = Connector.Invoicing.VeriFactu.ChainVerifier.Verify(issuer, chain);
            output.WriteLine($"VERI*FACTU records of {issuer}: {report.Records}, one per invoice and credit note, each chained to the one before "
                + (report.FirstBreak is null ? "(every fingerprint recomputed: intact; 'connector verifactu verify' checks it again)." : $"(BROKEN at {report.FirstBreak.Record.Number}: {report.FirstBreak.Reason})."));
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The settings that point the connector at a sandbox org (also used by the end-to-end tests).</summary>
    public static Dictionary<string, string?> SandboxSettings(SandboxServer server, string privateKeyPath, string connectionString)
    {
        var settings = Sandbox.SandboxCommand.Settings(server, privateKeyPath).ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        settings["Connector:Storage:Provider"] = "Sqlite";
        settings["Connector:Storage:ConnectionString"] = connectionString;
        settings["Connector:Mapping:Path"] = "";
        foreach (var (key, value) in DemoEntity.Settings(Path.GetDirectoryName(privateKeyPath)!))
        {
            settings[key] = value;
        }

        return settings;
    }
}
