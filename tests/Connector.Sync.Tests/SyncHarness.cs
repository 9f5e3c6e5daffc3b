using Connector.Invoicing;
using Connector.Mapping;
using Connector.Salesforce;
using Connector.Sandbox;
using Connector.Storage;
using Connector.Sync.Cycles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests;

/// <summary>
/// The pipeline's stages as the service registers them, against a seeded sandbox org over HTTP and a SQLite file, all
/// on one <see cref="FakeTimeProvider"/>: a test moves time itself, never waits for it.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly SandboxCredentials _credentials;

    private SyncHarness(DirectoryInfo directory, SandboxCredentials credentials, SandboxServer server, ServiceProvider services, FakeTimeProvider time)
    {
        _directory = directory;
        _credentials = credentials;
        Server = server;
        Services = services;
        Time = time;
    }

    public SandboxServer Server { get; }

    public SandboxOrg Org => Server.Org;

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<SyncHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        // The fake clock starts at the real time: the org checks a JWT's expiry against its own clock, which is the same fake one.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var credentials = new SandboxCredentials();
        var org = new SandboxOrg(credentials, time);
        SandboxSeed.Default(org.Data, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var server = await SandboxServer.StartAsync(org, port: 0, pubSubPort: 0, CancellationToken.None);
        var directory = Directory.CreateTempSubdirectory("connector-sync-");
        var configuration = new Dictionary<string, string?>
        {
            ["Connector:Salesforce:LoginUrl"] = server.Url.ToString().TrimEnd('/'),
            ["Connector:Salesforce:AuthFlow"] = "JwtBearer",
            ["Connector:Salesforce:ClientId"] = credentials.ClientId,
            ["Connector:Salesforce:Username"] = credentials.Username,
            ["Connector:Salesforce:PrivateKeyPath"] = credentials.WritePrivateKeyFile(directory.FullName),
            ["Connector:Salesforce:AllowInsecureHttp"] = "true",
            ["Connector:Salesforce:PubSubEndpoint"] = server.PubSubUrl.ToString().TrimEnd('/'),
            ["Connector:Storage:Provider"] = "Sqlite",
            ["Connector:Storage:ConnectionString"] = $"Data Source={Path.Combine(directory.FullName, "connector.db")}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .AddSingleton<TimeProvider>(time)
            .AddLogging(b => { if (Environment.GetEnvironmentVariable("HARNESS_LOG") == "1") { Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b); } })
            .AddInvoicing()
            .AddMapping()
            .AddSalesforce()
            .AddSync()
            .BuildServiceProvider();
        await services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        return new SyncHarness(directory, credentials, server, services, time);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
        _credentials.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
