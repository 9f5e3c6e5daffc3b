using Connector.Worker.Cli;
using Connector.Worker.Demo;

namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment, as a CronJob's pod spec would
public sealed class SyncCommandTests
{
    [Test, CancelAfter(60_000)]
    public async Task SyncOnce_ConfiguredByEnvironment_RunsOneCycleAndExitsZero(CancellationToken cancellationToken)
    {
        // Arrange: the keys of the configuration contract, as environment variables.
        using var sandbox = new SandboxHarness();
        var environment = DemoRunner.SandboxSettings(sandbox.Server, sandbox.KeyPath, $"Data Source={sandbox.DatabasePath}")
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        foreach (var (key, value) in environment)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        try
        {
            // Act
            using var output = new StringWriter();
            using var error = new StringWriter();
            var first = await ConnectorCli.Build(output, error).Parse(["sync", "--once"]).InvokeAsync(cancellationToken: cancellationToken);
            var firstOutput = output.ToString();
            var second = await ConnectorCli.Build(output, error).Parse(["sync", "--once"]).InvokeAsync(cancellationToken: cancellationToken);

            // Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That((first, second), Is.EqualTo((0, 0)), error.ToString());
                Assert.That(firstOutput, Does.Contain("Invoices posted:     3").And.Contain("INV-000001"));
                Assert.That(output.ToString()[firstOutput.Length..], Does.Contain("Invoices posted:     0"));
                Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            }
        }
        finally
        {
            foreach (var key in environment.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }
}
