using Connector.Worker.Cli;

namespace Connector.EndToEnd.Tests;

/// <summary>Runs the connector's command line in process, capturing what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ConnectorCli.RunAsync(args, output, error, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
