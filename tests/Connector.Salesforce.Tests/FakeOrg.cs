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

        var settings = new Dictionary<string, string?>
        {
            ["Connector:Salesforce:LoginUrl"] = Server.Url,
            ["Connector:Salesforce:ClientId"] = "3MVG9.test",
            ["Connector:Salesforce:Username"] = "integration@example.com",
            ["Connector:Salesforce:PrivateKeyPath"] = KeyPath,
            ["Connector:Salesforce:AllowInsecureHttp"] = "true",
            ["Connector:Salesforce:RetryBaseDelay"] = "00:00:00.010",
            ["Connector:Salesforce:AttemptTimeout"] = "00:00:05",
        };
        configure?.Invoke(settings);
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddSalesforce();
        Services = services.BuildServiceProvider();
        GivenTokenEndpoint();
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
