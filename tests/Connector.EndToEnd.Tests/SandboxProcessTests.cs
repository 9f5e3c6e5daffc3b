using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// <c>connector sandbox</c> as its own process, and the connector in others: the org outlives a connector killed
/// mid-run, and the next <c>sync --once</c> finishes the work without doubling anything.
/// </summary>
[TestFixture]
[NonParallelizable] // child processes on two cores
public sealed class SandboxProcessTests
{
    private const string Seed = """
        {
          "Account": [ { "@ref": "acme", "Name": "Acme Iberia SL", "BillingCountry": "ES", "BillingCity": "Madrid" } ],
          "Product2": [ { "@ref": "onboarding", "Name": "Onboarding Package", "ProductCode": "ONB", "IsActive": true } ],
          "Order": [ { "@ref": "order", "OrderNumber": "00000201", "AccountId": "@acme", "Status": "Activated", "EffectiveDate": "2026-01-05", "SBQQ__PaymentTerm__c": "Net 30" } ],
          "OrderItem": [ { "OrderId": "@order", "Product2Id": "@onboarding", "Quantity": 2, "UnitPrice": 750, "TotalPrice": 1500, "ServiceDate": "2026-01-05", "SBQQ__ChargeType__c": "One-Time" } ]
        }
        """;

    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("connector-sandbox-process-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    [Test, CancelAfter(120_000)]
    public async Task SyncOnce_FromAnotherProcess_BillsTheSeededOrgAndAKilledRunLosesNothing(CancellationToken cancellationToken)
    {
        // Arrange: the org in its own process, seeded from a file.
        var seed = Path.Combine(_folder.FullName, "seed.json");
        await File.WriteAllTextAsync(seed, Seed, cancellationToken);
        using var org = ConnectorProcess.Start("sandbox", _folder.FullName, [], "sandbox", "--seed", seed, "--dir", "org");
        Assert.That(await org.PrintedAsync(l => l.StartsWith("Connector__Salesforce__AllowInsecureHttp=", StringComparison.Ordinal), cancellationToken), Is.True, org.Output);
        var settings = Settings(org.StandardOutput);

        // Act 1: a connector that runs continuously is killed while it works.
        using (var run = ConnectorProcess.Start("run", _folder.FullName, [.. settings, new("Connector__Health__Port", ConnectorProcess.FreePort().ToString(CultureInfo.InvariantCulture))], "run"))
        {
            var reading = await run.PrintedAsync(l => l.Contains("Reading OrderItem", StringComparison.Ordinal), cancellationToken);
            run.Kill(); // mid-ingest: the orders are read, their products not yet billed
            Assert.That(reading, Is.True, run.Output);
        }

        // Act 2: one cycle from another process finishes what is left; a second finds nothing to do.
        using var first = ConnectorProcess.Start("sync 1", _folder.FullName, settings, "sync", "--once");
        var firstExit = await first.ExitAsync(cancellationToken);
        using var second = ConnectorProcess.Start("sync 2", _folder.FullName, settings, "sync", "--once");
        var secondExit = await second.ExitAsync(cancellationToken);

        // Assert: what the org itself holds, asked over its REST API.
        var invoices = await QueryAsync(settings, "SELECT Id, Name FROM Connector_Invoice__c", cancellationToken);
        var files = await QueryAsync(settings, "SELECT Id FROM ContentVersion", cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((firstExit, secondExit), Is.EqualTo((0, 0)), first.Output + second.Output);
            Assert.That(invoices.Select(i => i!["Name"]!.GetValue<string>()), Is.EqualTo(new[] { "INV-000001" }), "billed once, whatever the killed run did");
            Assert.That(files, Has.Count.EqualTo(OrgFiles.PerDocument), "the PDF and the UBL file uploaded once");
            Assert.That(second.StandardOutput, Does.Contain("Written back:        0"));
            Assert.That(org.HasExited, Is.False, "the org lives on");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Sandbox_SeedNamingAnUndeclaredRecord_OneLineNamingTheFieldExit2(CancellationToken cancellationToken)
    {
        var seed = Path.Combine(_folder.FullName, "seed.json");
        await File.WriteAllTextAsync(seed, """{ "Order": [ { "AccountId": "@nobody", "Status": "Draft" } ] }""", cancellationToken);

        using var org = ConnectorProcess.Start("sandbox", _folder.FullName, [], "sandbox", "--seed", seed, "--dir", "org");
        var exit = await org.ExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(org.Output, Does.Contain($"--seed = '{seed}' is not allowed: $.Order[0].AccountId names '@nobody', which no earlier record declares"));
            Assert.That(org.StandardOutput, Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Sandbox_SeedThatIsNotJson_OneLineNamingWhereExit2(CancellationToken cancellationToken)
    {
        var seed = Path.Combine(_folder.FullName, "seed.json");
        await File.WriteAllTextAsync(seed, "{ \"Account\": [ { \"Name\": \"Acme\" }\n  oops ] }", cancellationToken);

        using var org = ConnectorProcess.Start("sandbox", _folder.FullName, [], "sandbox", "--seed", seed, "--dir", "org");
        var exit = await org.ExitAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(org.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..], Is.EqualTo(new[] { $"--seed = '{seed}' is not allowed: not JSON (line 2, byte 3)" }));
            Assert.That(org.StandardOutput, Is.Empty);
        }
    }

    /// <summary>The settings the sandbox printed, plus a SQLite database in the test's folder.</summary>
    private List<KeyValuePair<string, string?>> Settings(string printed) =>
    [
        .. printed.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("Connector__", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).Select(p => new KeyValuePair<string, string?>(p[0], p[1])),
        new("Connector__Storage__ConnectionString", $"Data Source={Path.Combine(_folder.FullName, "connector.db")}"),
        new("Connector__Logging__Format", "Text"),
    ];

    /// <summary>A SOQL query against the sandbox process, signed in with the connected app's client credentials.</summary>
    private static async Task<List<JsonNode?>> QueryAsync(List<KeyValuePair<string, string?>> settings, string soql, CancellationToken cancellationToken)
    {
        var url = new Uri(settings.Single(s => s.Key == "Connector__Salesforce__LoginUrl").Value! + "/");
        using var http = new HttpClient { BaseAddress = url };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = settings.Single(s => s.Key == "Connector__Salesforce__ClientId").Value!,
            ["client_secret"] = "sandbox-client-secret",
        });
        using var token = await http.PostAsync(new Uri("services/oauth2/token", UriKind.Relative), form, cancellationToken);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "services/data/v62.0/query?q=" + Uri.EscapeDataString(soql));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return [.. (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!["records"]!.AsArray()];
    }
}
