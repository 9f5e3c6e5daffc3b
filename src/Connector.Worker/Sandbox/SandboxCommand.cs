using System.CommandLine;
using System.Globalization;
using Connector.Sandbox;
using Connector.Worker.Cli;

namespace Connector.Worker.Sandbox;

/// <summary>
/// <c>connector sandbox</c>: serves a fake org (the one the tests and <c>demo</c> use) on a loopback port until Ctrl+C,
/// so an admin can try every verb against a local org and tests can stop the connector while the org lives on. Prints
/// the settings that point a connector at it, and writes them with the JWT key into a folder.
/// </summary>
internal static class SandboxCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on; 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var pubSubPort = new Option<int>("--pubsub-port") { Description = "Loopback port of the org's Pub/Sub API (gRPC change events); 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var seed = new Option<string?>("--seed") { Description = "JSON file of the records to start with (see docs/sandbox.md). Default: the demo's CPQ accounts, products and orders, dated from this month." };
        var directory = new Option<string>("--dir") { Description = "Folder for the org's JWT private key and connector.env (the settings to use it).", DefaultValueFactory = _ => "sandbox" };
        var command = new Command("sandbox", "Serve a local fake Salesforce org until Ctrl+C; print the settings that point the connector at it.") { port, pubSubPort, seed, directory };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            foreach (var (option, value) in new[] { (port, result.GetValue(port)), (pubSubPort, result.GetValue(pubSubPort)) })
            {
                if (value is < 0 or > 65535)
                {
                    await error.WriteLineAsync($"{option.Name} = '{value}' is not allowed: use 0 (any free port) to 65535.");
                    return ExitCodes.BadInput;
                }
            }

            using var credentials = new SandboxCredentials();
            var org = new SandboxOrg(credentials, TimeProvider.System);
            if (result.GetValue(seed) is { } seedFile)
            {
                if (!File.Exists(seedFile))
                {
                    await error.WriteLineAsync($"--seed = '{seedFile}' is not allowed: no such file.");
                    return ExitCodes.BadInput;
                }

                try
                {
                    SandboxSeedFile.Load(org.Data, await File.ReadAllTextAsync(seedFile, cancellationToken));
                }
                catch (FormatException ex)
                {
                    await error.WriteLineAsync($"--seed = '{seedFile}' is not allowed: {ex.Message}");
                    return ExitCodes.BadInput;
                }
            }
            else
            {
                SandboxSeed.Demo(org.Data, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
            }

            SandboxServer server;
            try
            {
                server = await SandboxServer.StartAsync(org, result.GetValue(port), result.GetValue(pubSubPort), cancellationToken);
            }
            catch (IOException)
            {
                await error.WriteLineAsync($"--port = '{result.GetValue(port)}' or --pubsub-port = '{result.GetValue(pubSubPort)}' is not allowed: another program listens on it; use free ports, or 0 for any.");
                return ExitCodes.BadInput;
            }

            await using var running = server;
            var folder = Path.GetFullPath(result.GetValue(directory)!);
            var settings = Settings(server, credentials.WritePrivateKeyFile(folder));
            var envFile = Path.Combine(folder, "connector.env");
            await File.WriteAllLinesAsync(envFile, settings.Select(s => $"{s.Key}={s.Value}"), cancellationToken);
            await output.WriteLineAsync($"Sandbox org at {server.Url} (Pub/Sub API at {server.PubSubUrl}) with {org.Data.Schema.Objects.Sum(o => org.Data.All(o.Name).Count).ToString(CultureInfo.InvariantCulture)} records; Ctrl+C stops it.");
            await output.WriteLineAsync($"Settings for the connector (also in {envFile}):");
            foreach (var (key, value) in settings)
            {
                await output.WriteLineAsync($"{key}={value}");
            }

            await output.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop a server.
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The settings (as environment variables) that point the connector at a sandbox org.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(SandboxServer server, string privateKeyPath) =>
    [
        new("Connector__Salesforce__LoginUrl", server.Url.ToString().TrimEnd('/')),
        new("Connector__Salesforce__AuthFlow", "JwtBearer"),
        new("Connector__Salesforce__ClientId", server.Org.Credentials.ClientId),
        new("Connector__Salesforce__Username", server.Org.Credentials.Username),
        new("Connector__Salesforce__PrivateKeyPath", privateKeyPath),
        new("Connector__Salesforce__AllowInsecureHttp", "true"),
        new("Connector__Salesforce__PubSubEndpoint", server.PubSubUrl.ToString().TrimEnd('/')),
        // The seller the sandbox's documents name: an e-invoice needs its country and VAT id (EN 16931 BR-09, BR-CO-26).
        new("Connector__Billing__Seller__Name", "Ejemplo Software SL"),
        new("Connector__Billing__Seller__TaxId", "B87654321"),
        new("Connector__Billing__Seller__Street", "Calle de Serrano 41"),
        new("Connector__Billing__Seller__City", "Madrid"),
        new("Connector__Billing__Seller__PostalCode", "28001"),
        new("Connector__Billing__Seller__Country", "ES"),
    ];
}
