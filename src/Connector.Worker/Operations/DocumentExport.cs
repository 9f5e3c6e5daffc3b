using System.Globalization;
using System.CommandLine;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Storage;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Operations;

/// <summary>
/// <c>connector documents export [--format ubl|pdf] [--from D] [--to D] [--out DIR]</c>: writes the stored files of the
/// documents issued in a period to a folder, as they were stored (byte for byte: the UBL file is the one sent to the
/// org). Prints each file written, one per line.
/// </summary>
internal static class DocumentExport
{
    private static readonly Dictionary<string, DocumentFormat?> Formats = new(StringComparer.Ordinal) { ["ubl"] = DocumentFormat.Ubl, ["pdf"] = DocumentFormat.Pdf, ["verifactu"] = null };

    public static Command Build(TextWriter output, TextWriter error)
    {
        var format = new Option<string>("--format") { Description = "ubl (default: the UBL 2.1 / EN 16931 files), pdf, or verifactu (the VERI*FACTU registration records, NUMBER.verifactu.xml).", DefaultValueFactory = _ => "ubl" };
        var from = new Option<string?>("--from") { Description = "First issue date, yyyy-MM-dd. Default: the first document's." };
        var to = new Option<string?>("--to") { Description = "Last issue date, yyyy-MM-dd. Default: the last document's." };
        var folder = new Option<string>("--out") { Description = "Folder to write the files to (created when missing).", DefaultValueFactory = _ => "export" };
        var command = new Command("export", "Write the files of the documents issued in a period to a folder, exactly as stored.") { format, from, to, folder };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            if (!Formats.TryGetValue(result.GetValue(format) ?? "", out var chosen))
            {
                await error.WriteLineAsync($"--format = '{result.GetValue(format)}' is not allowed: use {string.Join(" or ", Formats.Keys)}.");
                return ExitCodes.BadInput;
            }

            var (first, firstProblem) = Day("--from", result.GetValue(from), DateOnly.MinValue);
            var (last, lastProblem) = Day("--to", result.GetValue(to), DateOnly.MaxValue);
            if ((firstProblem ?? lastProblem) is { } problem)
            {
                await error.WriteLineAsync(problem);
                return ExitCodes.BadInput;
            }

            if (last < first)
            {
                await error.WriteLineAsync($"--to = '{result.GetValue(to)}' is not allowed: it is before --from ('{result.GetValue(from)}').");
                return ExitCodes.BadInput;
            }

            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            var documents = host.Services.GetRequiredService<DocumentStore>();
            var directory = Directory.CreateDirectory(result.GetValue(folder)!);
            if (chosen is not { } stored)
            {
                // A record is its issuer's XML as AEAT's schema names it; an annulment's file says so.
                foreach (var record in await host.Services.GetRequiredService<Connector.Invoicing.VeriFactu.VeriFactuLedger>().IssuedBetweenAsync(first, last, cancellationToken))
                {
                    var name = record.Kind == Connector.Invoicing.VeriFactu.Registro.Alta ? $"{record.Number}.verifactu.xml" : $"{record.Number}.anulacion.verifactu.xml";
                    var target = Path.Combine(directory.FullName, string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)));
                    await File.WriteAllTextAsync(target, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + record.Xml + "\n", cancellationToken);
                    await output.WriteLineAsync(target);
                }

                return ExitCodes.Success;
            }

            foreach (var file in await documents.IssuedBetweenAsync(stored, first, last, cancellationToken))
            {
                var document = await documents.GetAsync(file.Owner, file.Id, cancellationToken, stored)
                    ?? throw new InvalidOperationException($"{file.FileName} disappeared while it was exported.");
                var path = Path.Combine(directory.FullName, Path.GetFileName(document.FileName));
                await File.WriteAllBytesAsync(path, document.Content, cancellationToken);
                await output.WriteLineAsync(path);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static (DateOnly Day, string? Problem) Day(string option, string? text, DateOnly fallback) =>
        text is null ? (fallback, null)
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? (day, null)
        : (fallback, $"{option} = '{text}' is not allowed: use yyyy-MM-dd, such as 2027-01-31.");
}
