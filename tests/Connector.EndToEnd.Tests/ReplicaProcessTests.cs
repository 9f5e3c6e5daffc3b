using Connector.Storage;
using Connector.Sync.Leases;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.Options;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// Two replicas as two operating-system processes (the <c>connector run</c> executable twice) on one PostgreSQL
/// database and the sandbox org: they start together (and migrate together), one leads, the leader is killed with
/// SIGKILL, the other takes over, and nothing is posted or written twice.
/// </summary>
[TestFixture]
[NonParallelizable] // two child processes on two cores
public sealed class ReplicaProcessTests
{
    private static readonly Dictionary<string, string?> FastLoops = new()
    {
        ["Connector:Sync:PollInterval"] = "00:00:01",
        ["Connector:Sync:LeaseDuration"] = "00:00:03",
        ["Connector:Sync:WriteBackIdleDelay"] = "00:00:00.200",
        ["Connector:Logging:Format"] = "Text",
    };

    [Test, CancelAfter(180_000)]
    public async Task TwoProcesses_OnePostgresDatabase_OneLeadsTheOtherTakesOverAfterSigkillNothingDoubled(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness(provider: StorageProvider.Postgres);
        using var a = Replica.Start(sandbox, "a");
        using var b = Replica.Start(sandbox, "b");
        var database = new ConnectorDatabase(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.Postgres, ConnectionString = sandbox.Settings()["Connector:Storage:ConnectionString"]!,
        }));
        var leases = new LeaseStore(database, TimeProvider.System);

        // Act 1: both run; one leads and bills the three seeded orders.
        var firstDone = await EventuallyAsync(() => sandbox.Org.Data.Pdfs().Count == 3 && sandbox.Org.Data.UblFiles().Count == 3, cancellationToken, a, b);
        var leader = ProcessOf(await leases.FindAsync("leader", cancellationToken));
        var (killed, survivor) = leader == a.Id ? (a, b) : (b, a);

        // Act 2: SIGKILL the leader; a new order arrives; the other process takes the lease when it expires and bills it.
        killed.Kill();
        AddOneTimeOrder(sandbox);
        var takenOver = await EventuallyAsync(() => sandbox.Org.Data.Pdfs().Count == 4 && sandbox.Org.Data.UblFiles().Count == 4, cancellationToken, survivor);
        var newLeader = ProcessOf(await leases.FindAsync("leader", cancellationToken));
        survivor.Kill();

        // Assert
        var invoices = await new InvoiceStore(database).ListAsync(cancellationToken);
        var files = sandbox.Org.Data.All("ContentVersion");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstDone, Is.True, $"the seeded orders were billed and written{Environment.NewLine}{a.Output}{b.Output}");
            Assert.That(leader, Is.EqualTo(a.Id).Or.EqualTo(b.Id));
            Assert.That(takenOver, Is.True, $"the survivor billed the new order{Environment.NewLine}{survivor.Output}");
            Assert.That(newLeader, Is.EqualTo(survivor.Id));
            Assert.That(invoices.Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002", "INV-000003", "INV-000004" }), "gapless, each billed once");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(4));
            Assert.That(files.Select(f => f["Connector_Content_Key__c"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(4 * OrgFiles.PerDocument).And.EqualTo(files.Count), "each PDF and UBL file uploaded once");
            Assert.That(a.Output + b.Output, Does.Not.Contain("Unhandled exception"));
        }
    }

    /// <summary>The holder is "machine/pid/nonce": the process that holds the lease.</summary>
    private static int? ProcessOf(Lease? lease) =>
        lease?.Holder.Split('/') is [_, var pid, _] ? int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static void AddOneTimeOrder(SandboxHarness sandbox)
    {
        var data = sandbox.Org.Data;
        var account = data.All("Account").Single(x => x["Name"]!.GetValue<string>() == "Initech Ltd")["Id"]!.GetValue<string>();
        var product = data.All("Product2")[0]["Id"]!.GetValue<string>();
        var today = SandboxHarness.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var order = data.Insert("Order", new System.Text.Json.Nodes.JsonObject
        {
            ["OrderNumber"] = "00000105", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = today, ["SBQQ__PaymentTerm__c"] = "Net 30",
        });
        data.Insert("OrderItem", new System.Text.Json.Nodes.JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 300, ["TotalPrice"] = 300, ["ServiceDate"] = today,
            ["SBQQ__ChargeType__c"] = "One-Time",
        });
    }

    /// <summary>Waits for the condition (at most 60 s), giving up early when every watched process has exited.</summary>
    private static async Task<bool> EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken, params ConnectorProcess[] watched)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition())
            {
                return true;
            }

            if (watched.All(r => r.HasExited))
            {
                return condition();
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static class Replica
    {
        /// <summary>One <c>connector run</c> process on the sandbox's database.</summary>
        public static ConnectorProcess Start(SandboxHarness sandbox, string name)
        {
            var environment = sandbox.Settings(FastLoops);
            environment["Connector:Health:Port"] = ConnectorProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ConnectorProcess.Start("replica " + name, Path.GetDirectoryName(sandbox.DatabasePath)!, environment, "run");
        }
    }
}
