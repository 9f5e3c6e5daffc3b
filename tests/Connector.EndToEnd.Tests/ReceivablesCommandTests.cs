using Connector.Storage;
using System.Text.Json;

namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment
public sealed class ReceivablesCommandTests
{
    [TestCase(nameof(StorageProvider.Sqlite))]
    [TestCase(nameof(StorageProvider.Postgres))]
    [CancelAfter(90_000)]
    public async Task Apply_PaymentForAnInvoice_ReportShowsItPaidAndTheNextCycleWritesPaidToTheOrg(string providerName, CancellationToken cancellationToken)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        // Arrange: a cycle posts the seed's three invoices.
        using var sandbox = new SandboxHarness(provider: provider);
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var acme = sandbox.Org.Data.All("Account").Single(a => a["Name"]!.GetValue<string>().StartsWith("Acme", StringComparison.Ordinal))["Id"]!.GetValue<string>();
        var owed = Account(await ReportAsync(cancellationToken), acme).GetProperty("balance").GetString()!;
        var events = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "events.json");
        await File.WriteAllTextAsync(events, $$"""
            { "events": [ { "on": "{{SandboxHarness.Today:yyyy-MM-dd}}", "type": "payment", "id": "BANK-2026-0001", "account": "{{acme}}", "amount": "{{owed}}" } ] }
            """, cancellationToken);

        // Act
        var applied = await CliRunner.RunAsync(cancellationToken, "receivables", "apply", events);
        var after = await ReportAsync(cancellationToken);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");

        // Assert
        var record = sandbox.Org.Data.All("Connector_Invoice__c").Single(r => r["Name"]?.GetValue<string>() == "INV-000001");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.Exit, Is.Zero, applied.Error);
            Assert.That(applied.Output, Does.Contain("Recorded 1 payments").And.Contain("Payment BANK-2026-0001 -> INV-000001"));
            Assert.That(Account(after, acme).GetProperty("balance").GetString(), Is.EqualTo("0.00"));
            Assert.That(Account(after, acme).GetProperty("name").GetString(), Is.EqualTo("Acme Iberia SL"));
            Assert.That(Account(after, acme).GetProperty("paid").GetString(), Is.EqualTo(owed));
            Assert.That(record["Connector_Payment_Status__c"]!.GetValue<string>(), Is.EqualTo("Paid"));
            Assert.That(record["Connector_Balance__c"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(record["Connector_Paid_Amount__c"]!.GetValue<decimal>().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(owed));
            var account = sandbox.Org.Data.All("Account").Single(a => a["Id"]!.GetValue<string>() == acme);
            Assert.That((account["Connector_Balance__c"]!.GetValue<decimal>(), account["Connector_Overdue_Amount__c"]!.GetValue<decimal>()), Is.EqualTo((0m, 0m)), "the account record follows");
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Apply_ARefusedEvent_ExitsTwoWithItsPathAndSavesNothingOfTheFile(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var acme = sandbox.Org.Data.All("Account").Single(a => a["Name"]!.GetValue<string>().StartsWith("Acme", StringComparison.Ordinal))["Id"]!.GetValue<string>();
        var events = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "events.json");
        await File.WriteAllTextAsync(events, $$"""
            { "events": [
              { "on": "{{SandboxHarness.Today:yyyy-MM-dd}}", "type": "payment", "id": "BANK-1", "account": "{{acme}}", "amount": "10.00" },
              { "on": "{{SandboxHarness.Today:yyyy-MM-dd}}", "type": "creditNote", "account": "{{acme}}", "invoice": "INV-000001", "reason": "Goodwill", "lines": [ { "invoiceLine": 1, "amount": "999999.00" } ] } ] }
            """, cancellationToken);

        var applied = await CliRunner.RunAsync(cancellationToken, "receivables", "apply", events);
        var after = await ReportAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.Exit, Is.EqualTo(2));
            Assert.That(applied.Error, Does.Contain("events.json: $.events[1]: creditNote on").And.Contain("left to credit"));
            Assert.That(Account(after, acme).GetProperty("paid").GetString(), Is.EqualTo("0.00"), "the payment before the refused event is not saved either");
        }
    }

    private static async Task<JsonElement> ReportAsync(CancellationToken cancellationToken)
    {
        var report = await CliRunner.RunAsync(cancellationToken, "receivables", "report", "--json");
        Assert.That(report.Exit, Is.Zero, report.Error);
        return JsonDocument.Parse(report.Output).RootElement.Clone();
    }

    private static JsonElement Account(JsonElement report, string id) =>
        report.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
}
