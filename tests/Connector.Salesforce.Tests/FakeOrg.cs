using System.Security.Cryptography;
using Connector.Salesforce.Limits;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connector.Salesforce.Tests;

/// <summary>
/// A WireMock.Net stand-in for an org plus the production AddSalesforce() registration pointed at it, so the
/// resilience pipeline and the token cache are under test too.
/// </summary>
internal sealed class FakeOrg : IDisposable
{
    public const string Data = "/services/data/v62.0";
    private readonly string _keyDirectory;

    public FakeOrg(Action<Dictionary<string, string?>>? configure = null)
    {
        Server = WireMockServer.Start();
        Key = RSA.Create(2048);
        _keyDirectory = Directory.CreateTempSubdirectory("connector-sf-test-").FullName;
        KeyPath = Path.Combine(_keyDirectory, "key.pem");
        File.WriteAllText(KeyPath, Key.ExportPkcs8PrivateKeyPem());

        Services = ClientServices(Server.Url!, "3MVG9.test", "integration@example.com", KeyPath, settings =>
        {
            settings["Connector:Salesforce:AttemptTimeout"] = "00:00:05";
            configure?.Invoke(settings);
        });
        GivenTokenEndpoint();
    }

    /// <summary>The production registration (AddSalesforce()) pointed at a loopback org, with quick retries.</summary>
    public static ServiceProvider ClientServices(string loginUrl, string clientId, string username, string keyPath, Action<Dictionary<string, string?>>? configure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Connector:Salesforce:LoginUrl"] = loginUrl,
            ["Connector:Salesforce:ClientId"] = clientId,
            ["Connector:Salesforce:Username"] = username,
            ["Connector:Salesforce:PrivateKeyPath"] = keyPath,
            ["Connector:Salesforce:AllowInsecureHttp"] = "true",
            ["Connector:Salesforce:RetryBaseDelay"] = "00:00:00.010",
        };
        configure?.Invoke(settings);
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddSalesforce();
        return services.BuildServiceProvider();
    }

    public WireMockServer Server { get; }

    public RSA Key { get; }

    public string KeyPath { get; }

    public ServiceProvider Services { get; }

    public SalesforceClient Client => Services.GetRequiredService<SalesforceClient>();

    public ApiUsage Usage => Services.GetRequiredService<ApiUsage>();

    public int Calls(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    public void GivenTokenEndpoint(string token = "00Dtoken") =>
        Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                access_token = token, instance_url = Server.Url, id = "x", token_type = "Bearer", scope = "api",
            }));

    public void Dispose()
    {
        Services.Dispose();
        Server.Dispose();
        Key.Dispose();
        Directory.Delete(_keyDirectory, recursive: true);
    }
}
