using Connector.Worker.Cli;
using Connector.Worker.Hosting;
using Connector.Worker.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.EndToEnd.Tests;

[TestFixture]
public sealed class SecretsTests
{
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
