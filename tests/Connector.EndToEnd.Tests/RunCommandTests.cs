using System.Net;
using System.Net.Sockets;

namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment
public sealed class RunCommandTests
{
    [Test, CancelAfter(90_000)]
    public async Task Run_AgainstTheSandbox_ServesProbesAndMetricsAndStopsCleanlyOnCancel(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        var port = FreePort();
        using var environment = EnvironmentScope.ForSandbox(sandbox, new Dictionary<string, string?>
        {
            ["Connector:Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Connector:Sync:PollInterval"] = "00:00:05",
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Act
        var run = CliRunner.RunAsync(stop.Token, "run");
        var ready = await EventuallyAsync(async () => sandbox.Org.Data.Pdfs().Count == 3 && sandbox.Org.Data.UblFiles().Count == 3
            && (await TryGetAsync(http, "/readyz", cancellationToken)).Status == HttpStatusCode.OK, cancellationToken);
        var live = await TryGetAsync(http, "/healthz", cancellationToken);
        var metrics = await TryGetAsync(http, "/metrics", cancellationToken);
        await stop.CancelAsync();
        var exit = await run;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready, Is.True, "a cycle wrote everything back and /readyz answered 200");
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(metrics.Body, Does.Contain("connector_invoices_posted_total"));
            Assert.That(metrics.Body, Does.Match(@"connector_invoices_posted_total(\{[^}]*\})? 3"));
            Assert.That(metrics.Body, Does.Contain("connector_api_calls_total"));
            Assert.That(exit.Exit, Is.Zero, exit.Error);
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Run_WithAKeyTheOrgDoesNotKnow_ReadyzAnswers503NamingTheTokenRequest(CancellationToken cancellationToken)
    {
        // Arrange: a well-formed private key, but not the one whose certificate the connected app holds.
        using var sandbox = new SandboxHarness();
        var port = FreePort();
        var otherKey = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "other.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            await File.WriteAllTextAsync(otherKey, rsa.ExportPkcs8PrivateKeyPem(), cancellationToken);
        }

        using var environment = EnvironmentScope.ForSandbox(sandbox, new Dictionary<string, string?>
        {
            ["Connector:Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Connector:Sync:PollInterval"] = "00:00:05",
            ["Connector:Salesforce:PrivateKeyPath"] = otherKey,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Act
        var run = CliRunner.RunAsync(stop.Token, "run");
        (HttpStatusCode? Status, string Body) readiness = (null, "");
        var refused = await EventuallyAsync(async () => (readiness = await TryGetAsync(http, "/readyz", cancellationToken)).Status == HttpStatusCode.ServiceUnavailable, cancellationToken);
        var live = await TryGetAsync(http, "/healthz", cancellationToken);
        await stop.CancelAsync();
        await run;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.True, "/readyz answered 503");
            Assert.That(readiness.Body, Does.Contain("the last Salesforce token request failed"));
            Assert.That(live.Status, Is.EqualTo(HttpStatusCode.OK), "alive, only not ready");
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200, cancellationToken);
        }

        return false;
    }

    private static async Task<(HttpStatusCode? Status, string Body)> TryGetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException)
        {
            return (null, "");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
