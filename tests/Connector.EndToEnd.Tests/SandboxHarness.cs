using Connector.Sandbox;
using Connector.Worker.Demo;
using Connector.Worker.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Connector.EndToEnd.Tests;

/// <summary>A seeded sandbox org on WireMock.Net, a private key file and a SQLite file: what a test needs to run real cycles.</summary>
internal sealed class SandboxHarness : IDisposable
{
    private readonly DirectoryInfo _directory;

    public SandboxHarness(Action<SandboxOrg>? seed = null)
    {
        Credentials = new SandboxCredentials();
        Org = new SandboxOrg(Credentials, TimeProvider.System);
        SandboxSeed.Default(Org.Data, Today);
        seed?.Invoke(Org);
        Server = SandboxServer.Start(Org);
        _directory = Directory.CreateTempSubdirectory("connector-e2e-");
        KeyPath = Credentials.WritePrivateKeyFile(_directory.FullName);
        DatabasePath = Path.Combine(_directory.FullName, "connector.db");
    }

    /// <summary>Today (UTC), as the connector's billing clock sees it with the default time zone.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    public SandboxCredentials Credentials { get; }

    public SandboxOrg Org { get; }

    public SandboxServer Server { get; }

    public string KeyPath { get; }

    public string DatabasePath { get; }

    public IHost BuildHost(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null)
    {
        var settings = DemoRunner.SandboxSettings(Server, KeyPath, $"Data Source={DatabasePath}");
        settings["Connector:Salesforce:RetryBaseDelay"] = "00:00:00.010";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return ConnectorHost.Build(settings, configureServices);
    }

    /// <summary>A host on this org, prepared (options validated, mapping loaded, database migrated).</summary>
    public async Task<IHost> PreparedHostAsync(IDictionary<string, string?>? extra, CancellationToken cancellationToken)
    {
        var host = BuildHost(extra);
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        return host;
    }

    public void Dispose()
    {
        Server.Dispose();
        Credentials.Dispose();
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
