using System.CommandLine;
using Connector.Worker.Simulation;

namespace Connector.Worker.Cli;

/// <summary>
/// <c>connector simulate SCENARIO.json [--format json|table]</c>: runs a scenario file through the billing engine in
/// memory and prints the result; nothing is written anywhere. Bad scenarios exit 2 with the JSON path of each problem.
/// </summary>
internal static class SimulateCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("scenario") { Description = "The scenario file (JSON; see docs/scenario-format.md); '-' reads standard input." };
        var format = new Option<string>("--format") { Description = "json (default, the stable contract) or table (for people).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "table");
        var command = new Command("simulate", "Run a billing scenario (accounts, orders, amendments, runs, payments, disputes, credit notes) through the real billing engine in memory and print invoices, credit notes and balances.") { file, format };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var path = result.GetValue(file)!;
            string text;
            try
            {
                text = path.Name == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{path}: cannot read the scenario: {ex.Message}");
                return ExitCodes.BadInput;
            }

            try
            {
                var simulation = ScenarioRunner.Run(ScenarioReader.Read(text));
                await output.WriteAsync(result.GetValue(format) == "table" ? ScenarioTable.Text(simulation) : ScenarioWriter.Json(simulation));
                return ExitCodes.Success;
            }
            catch (ScenarioException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    await error.WriteLineAsync($"{path.Name}: {problem}");
                }

                return ExitCodes.BadInput;
            }
        }));
        return command;
    }
}
