using Connector.Storage;
using System.Text.Json;
using Connector.Mapping.Profile;

namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment
public sealed class OperationsCommandTests
{
    [TestCase(nameof(StorageProvider.Sqlite))]
    [TestCase(nameof(StorageProvider.Postgres))]
    [CancelAfter(60_000)]
    public async Task Status_AfterACycle_ShowsTheCycleBacklogQuarantineAndInvoices(string providerName, CancellationToken cancellationToken)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        // Arrange
        using var sandbox = new SandboxHarness(provider: provider);
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        Assert.That((await CliRunner.RunAsync(cancellationToken, "sync", "--once")).Exit, Is.EqualTo(1), "the seed's Usage line is quarantined");

        // Act
        var text = await CliRunner.RunAsync(cancellationToken, "status");
        var json = await CliRunner.RunAsync(cancellationToken, "status", "--json");

        // Assert
        using var document = JsonDocument.Parse(json.Output);
        var cycle = document.RootElement.GetProperty("lastCycles")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.Exit, Is.Zero, text.Error);
            Assert.That(text.Output, Does.Contain("NeedsAttention").And.Contain("Write-back:        0 pending, 0 failed, 24 done"));
            Assert.That(text.Output, Does.Contain("Quarantine:        1 open").And.Contain("3 posted, last INV-000003"));
            Assert.That(cycle.GetProperty("outcome").GetString(), Is.EqualTo("NeedsAttention"), "a record was quarantined");
            Assert.That(cycle.GetProperty("summary").GetProperty("apiCalls").GetInt32(), Is.GreaterThan(0));
            Assert.That(document.RootElement.GetProperty("invoices").GetProperty("count").GetInt32(), Is.EqualTo(3));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task DocumentsRerender_SameLayoutAndAnUnknownNumber_SaysSoAndExitsOne(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");

        var result = await CliRunner.RunAsync(cancellationToken, "documents", "rerender", "INV-000001", "INV-999999");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Output, Does.Contain("INV-000001: unchanged; nothing to send").And.Contain("INV-999999: no posted invoice has this number"));
            Assert.That(result.Exit, Is.EqualTo(1));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task QuarantineRetry_AfterTheAdminMapsTheMissingPicklistValue_RecordIsBilledOnTheNextCycle(CancellationToken cancellationToken)
    {
        // Arrange: a cycle holds Initech's Usage line, which has no consumption schedule; the admin then maps Usage to One-Time in their copy of the profile.
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var listed = await CliRunner.RunAsync(cancellationToken, "quarantine", "list");
        var mapping = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "mapping.yaml");
        await File.WriteAllTextAsync(mapping, MappingProfileLoader.ShippedProfile("cpq-default.yaml").Replace("    Usage: Usage\n", "    Usage: OneTime\n", StringComparison.Ordinal), cancellationToken);
        environment.Set("Connector__Mapping__Path", mapping);

        // Act
        var retry = await CliRunner.RunAsync(cancellationToken, "quarantine", "retry");
        var next = await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var after = await CliRunner.RunAsync(cancellationToken, "quarantine", "list");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed.Output, Does.Contain("1 open").And.Contain("its charge type is Usage but it has no active consumption schedule"));
            Assert.That(retry.Output, Does.Contain("1 resolved, 0 still quarantined"));
            Assert.That(retry.Exit, Is.Zero);
            Assert.That(next.Output, Does.Contain("Invoices posted:     1").And.Contain("INV-000004").And.Contain("Initech"));
            Assert.That(after.Output, Does.Contain("0 open"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task QuarantineDiscard_ById_ClosesTheRow(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var json = await CliRunner.RunAsync(cancellationToken, "quarantine", "list", "--json");
        var id = JsonDocument.Parse(json.Output).RootElement[0].GetProperty("id").GetInt64();

        var discard = await CliRunner.RunAsync(cancellationToken, "quarantine", "discard", "--id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var retry = await CliRunner.RunAsync(cancellationToken, "quarantine", "retry");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(discard.Output, Does.Contain("1 discarded"));
            Assert.That(retry.Output, Does.Contain("0 resolved, 0 still quarantined"), "discarded rows are not retried");
        }
    }
}
