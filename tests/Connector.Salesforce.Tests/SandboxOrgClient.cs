using Connector.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Salesforce.Tests;

/// <summary>The production client (AddSalesforce(), resilience pipeline included) signed in to a seeded sandbox org.</summary>
internal sealed class SandboxOrgClient : IDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly SandboxCredentials _credentials = new();

    public SandboxOrgClient(Action<Dictionary<string, string?>>? configure = null)
    {
        Org = new SandboxOrg(_credentials, TimeProvider.System);
        SandboxSeed.Default(Org.Data, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
        Server = SandboxServer.Start(Org);
        _directory = Directory.CreateTempSubdirectory("connector-sf-sandbox-");
        Services = FakeOrg.ClientServices(Server.Url.ToString().TrimEnd('/'), _credentials.ClientId, _credentials.Username, _credentials.WritePrivateKeyFile(_directory.FullName), settings =>
        {
            settings["Connector:Salesforce:BulkPollInterval"] = "00:00:00.010";
            settings["Connector:Salesforce:PubSubEndpoint"] = Server.PubSubUrl.ToString().TrimEnd('/');
            configure?.Invoke(settings);
        });
    }

    public SandboxOrg Org { get; }

    public SandboxServer Server { get; }

    public ServiceProvider Services { get; }

    public SalesforceClient Client => Services.GetRequiredService<SalesforceClient>();

    public Salesforce.PubSub.PubSubClient PubSub => Services.GetRequiredService<Salesforce.PubSub.PubSubClient>();

    /// <summary>Data API calls the org received, by method and path.</summary>
    public IReadOnlyList<(string Method, string Path)> DataCalls =>
        [.. Server.Requests.Where(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal))];

    public void Dispose()
    {
        Services.Dispose();
        Server.Dispose();
        _credentials.Dispose();
        _directory.Delete(recursive: true);
    }
}
