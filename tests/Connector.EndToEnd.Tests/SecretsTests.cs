using Connector.Sync.Ingest;
using Connector.Sync.Cycles;
using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.EndToEnd.Tests;

[TestFixture]
public sealed class SecretsTests
{
    [Test, CancelAfter(60_000)]
    public async Task Cycle_ClientCredentialsAtTrace_NeverLogsTheClientSecretOrTheToken(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        var capture = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Connector:Salesforce:AuthFlow"] = "ClientCredentials",
            ["Connector:Salesforce:ClientSecret"] = sandbox.Credentials.ClientSecret,
        };
        using var host = sandbox.BuildHost(settings, services => services.AddLogging(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)));
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var everything = string.Join("\n", capture.Lines);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted, Has.Count.EqualTo(3), "the client credentials flow worked");
            Assert.That(everything, Does.Not.Contain(sandbox.Credentials.ClientSecret));
            Assert.That(sandbox.Org.IssuedTokens.Where(t => everything.Contains(t, StringComparison.Ordinal)), Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_PagedRead_ReportsProgressInTheLogs(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness(org => org.QueryPageSize = 2);
        var capture = new CapturingLoggerProvider();
        using var host = sandbox.BuildHost(configureServices: services => services.AddLogging(b => b.AddProvider(capture)));
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        Assert.That(capture.Lines, Has.Some.Contains("Progress Reading OrderItem: 7 of 7").And.Some.Contains("Progress Posting invoices: 3 of 3"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_WithEveryLogAtTrace_NeverLogsTheKeyOrTheAccessToken(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        var capture = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace" };
        using var host = sandbox.BuildHost(settings, services => services.AddLogging(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)));
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act: a cycle whose session is revoked mid-run, so a second token is fetched too.
        var report = new CycleReport();
        await host.Services.GetRequiredService<IngestStep>().RunAsync(report, cancellationToken);
        sandbox.Org.Faults.ExpireSessions();
        await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);
        using var output = new StringWriter();
        ReportPrinter.Print(report, output);

        // Assert
        var everything = string.Join("\n", capture.Lines) + output;
        var keyLines = (await File.ReadAllLinesAsync(sandbox.KeyPath, cancellationToken)).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(capture.Lines, Is.Not.Empty, "the capture works");
            Assert.That(everything, Does.Contain("/services/data/v62.0/query"), "HTTP calls were logged at Trace");
            Assert.That(sandbox.Org.IssuedTokens, Has.Count.EqualTo(2));
            foreach (var token in sandbox.Org.IssuedTokens)
            {
                Assert.That(everything, Does.Not.Contain(token));
            }

            foreach (var line in keyLines)
            {
                Assert.That(everything, Does.Not.Contain(line));
            }
        }
    }
}
