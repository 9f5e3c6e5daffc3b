using System.Globalization;
using System.Text.Json.Nodes;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// <c>connector run</c> processes with change events on, killed (SIGKILL) after receiving an event and before
/// committing what it changed: the next process replays the event from the stored replay id, and the order is
/// invoiced exactly once.
/// </summary>
[TestFixture]
public sealed class ChangeEventKillTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Test, CancelAfter(180_000)]
    public async Task A_process_killed_between_receiving_an_activation_and_committing_it_loses_nothing_and_doubles_nothing(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        var draft = sandbox.Org.Locked(d => d.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000104")["Id"]!.GetValue<string>());
        sandbox.Org.ChangeEvents.KeepaliveInterval = TimeSpan.FromSeconds(1); // every channel stores a replay id soon

        using (var first = Start(sandbox, "first"))
        {
            await UntilAsync(() => Invoices(sandbox).Count == 3 && sandbox.Org.ChangeEvents.Subscriptions >= 4, first, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // keepalives store each channel's position

            // The read-back of the activated order hangs (the org did the work; its answer comes late); the process dies meanwhile.
            sandbox.Org.Faults.HangFor = TimeSpan.FromSeconds(30);
            sandbox.Org.Faults.HangNextCalls(1, r => r.Path.Contains("/queryAll", StringComparison.Ordinal));
            var readBacks = ReadBacks(sandbox);
            sandbox.Org.Locked(d =>
            {
                d.Update("Order", draft, new JsonObject { ["Status"] = "Activated" });
                return 0;
            });
            await UntilAsync(() => ReadBacks(sandbox) > readBacks, first, cancellationToken);
            first.Kill();
        }

        Assert.That(Invoices(sandbox), Has.Count.EqualTo(3), "nothing of the activation was committed before the kill");

        using var second = Start(sandbox, "second");
        await UntilAsync(() => Invoices(sandbox).Any(i => i["Connector_Order__c"]?.GetValue<string>() == draft && i["Connector_PDF_Link__c"] is not null), second, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // anything doubled would show by now
        var invoices = Invoices(sandbox);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoices.Count(i => i["Connector_Order__c"]?.GetValue<string>() == draft), Is.EqualTo(1), "invoiced once");
            Assert.That(invoices, Has.Count.EqualTo(4));
            Assert.That(sandbox.Org.Locked(d => d.All("ContentVersion").Count), Is.EqualTo(4 * OrgFiles.PerDocument), "one PDF and one UBL file each");
            Assert.That(FallbackPolls(sandbox, "/data/OrderChangeEvent"), Is.EqualTo(1), "the second process resumed from the stored replay id: only the first start polled");
        }
    }

    private static List<JsonObject> Invoices(SandboxHarness sandbox) => sandbox.Org.Locked(d => d.All("Connector_Invoice__c").ToList());

    private static long FallbackPolls(SandboxHarness sandbox, string channel)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sandbox.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT fallback_polls FROM change_channel WHERE channel = $channel";
        command.Parameters.AddWithValue("$channel", channel);
        return (long)command.ExecuteScalar()!;
    }

    private static int ReadBacks(SandboxHarness sandbox) => sandbox.Server.Requests.Count(r => r.Path.Contains("/queryAll", StringComparison.Ordinal));

    private static ConnectorProcess Start(SandboxHarness sandbox, string name)
    {
        var environment = sandbox.Settings(new Dictionary<string, string?>
        {
            ["Connector:ChangeEvents:Enabled"] = "true",
            ["Connector:Billing:InvoiceOnActivation"] = "true",
            ["Connector:Sync:PollInterval"] = "01:00:00",
            ["Connector:Sync:InvoiceRunSchedule"] = "0 0 1 1 *",
            ["Connector:Sync:LeaseDuration"] = "00:00:03",
            ["Connector:Health:Port"] = ConnectorProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        });
        return ConnectorProcess.Start(name, Path.GetDirectoryName(sandbox.DatabasePath)!, environment, "run");
    }

    private static async Task UntilAsync(Func<bool> condition, ConnectorProcess process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wait);
        while (!condition())
        {
            Assert.That(process.HasExited, Is.False, process.Output);
            await Task.Delay(20, timeout.Token);
        }
    }
}
