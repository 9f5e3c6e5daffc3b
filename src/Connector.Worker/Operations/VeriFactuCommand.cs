using System.CommandLine;
using Connector.Invoicing.VeriFactu;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Operations;

/// <summary><c>connector verifactu verify</c>: recomputes every issuer's chain of VERI*FACTU records from their XML and reports the first break.</summary>
internal static class VeriFactuCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("verifactu", "Spain's VERI*FACTU registration records of the legal entities that have it on.");
        var verify = new Command("verify", "Recompute every record's fingerprint (huella) from its XML and check each links the one before it; exit 1 at a break, naming the first.");
        verify.SetAction((_, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            var ledger = host.Services.GetRequiredService<VeriFactuLedger>();
            var issuers = await ledger.IssuersAsync(cancellationToken);
            if (issuers.Count == 0)
            {
                await output.WriteLineAsync("No VERI*FACTU records (no legal entity has VeriFactu on, or none has posted yet).");
                return ExitCodes.Success;
            }

            var broken = false;
            foreach (var issuer in issuers)
            {
                var report = ChainVerifier.Verify(issuer, await ledger.ChainAsync(issuer, cancellationToken));
                if (report.FirstBreak is { } first)
                {
                    broken = true;
                    await output.WriteLineAsync($"{issuer}: {report.Records} records; BROKEN at record {first.Record.Sequence} ({first.Record.Kind} {first.Record.Number}): {first.Reason}.");
                }
                else
                {
                    await output.WriteLineAsync($"{issuer}: {report.Records} records, every fingerprint recomputed, chain intact.");
                }
            }

            return broken ? ExitCodes.Failure : ExitCodes.Success;
        }));
        command.Subcommands.Add(verify);
        return command;
    }
}
