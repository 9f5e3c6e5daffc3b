using Connector.Storage;
using Connector.Sandbox;
using Connector.Worker.Demo;
using Connector.Worker.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// A seeded sandbox org on WireMock.Net, a private key file and a database (a SQLite file, or a new database on the
/// PostgreSQL server CONNECTOR_TEST_POSTGRES names): what a test needs to run real cycles.
/// </summary>
internal sealed class SandboxHarness : IDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly TestPostgres.TemporaryDatabase? _postgres;

    /// <param name="seed">More data for the org after the default seed.</param>
    /// <param name="provider">The database engine.</param>
    /// <param name="time">The clock of the org and of every connector built here (default: the system's).</param>
    public SandboxHarness(Action<SandboxOrg>? seed = null, StorageProvider provider = StorageProvider.Sqlite, TimeProvider? time = null)
    {
        Provider = provider;
        Time = time ?? TimeProvider.System;
        if (provider == StorageProvider.Postgres)
        {
            _postgres = TestPostgres.CreateDatabaseAsync().GetAwaiter().GetResult();
        }

        Credentials = new SandboxCredentials();
        Org = new SandboxOrg(Credentials, Time);
        SandboxSeed.Default(Org.Data, DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime));
        seed?.Invoke(Org);
        Server = SandboxServer.Start(Org);
        _directory = Directory.CreateTempSubdirectory("connector-e2e-");
        KeyPath = Credentials.WritePrivateKeyFile(_directory.FullName);
        DatabasePath = Path.Combine(_directory.FullName, "connector.db");
    }

    /// <summary>Today (UTC), as the connector's billing clock sees it with the default time zone.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    /// <summary>The clock of the org and the connectors.</summary>
    public TimeProvider Time { get; }

    /// <summary>This harness's today (UTC).</summary>
    public DateOnly Day => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    public SandboxCredentials Credentials { get; }

    public SandboxOrg Org { get; }

    public SandboxServer Server { get; }

    public string KeyPath { get; }

    /// <summary>The SQLite file (unused on PostgreSQL, but its folder holds the test's other files).</summary>
    public string DatabasePath { get; }

    public StorageProvider Provider { get; }

    /// <summary>The settings pointing a connector at this org and database (plus <paramref name="extra"/>).</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = DemoRunner.SandboxSettings(Server, KeyPath, _postgres?.ConnectionString ?? $"Data Source={DatabasePath}");
        settings["Connector:Storage:Provider"] = Provider.ToString();
        settings["Connector:Salesforce:RetryBaseDelay"] = "00:00:00.010";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public IHost BuildHost(IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configureServices = null) =>
        ConnectorHost.Build(Settings(extra), services =>
        {
            if (Time != TimeProvider.System)
            {
                services.Replace(ServiceDescriptor.Singleton(Time));
            }

            configureServices?.Invoke(services);
        });

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
        _postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _directory.Delete(recursive: true);
    }
}
