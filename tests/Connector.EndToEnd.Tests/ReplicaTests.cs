using Connector.Storage;
using Connector.Sync.WriteBack;
using Connector.Sync.Leases;
using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>Two replicas of <c>connector run</c> on one database, and stops at any moment: nothing billed or written twice, nothing lost.</summary>
[TestFixture]
public sealed class ReplicaTests
{
    private static readonly Dictionary<string, string?> FastLoops = new()
    {
        ["Connector:Sync:PollInterval"] = "00:00:01",
        ["Connector:Sync:LeaseDuration"] = "00:00:02",
        ["Connector:Sync:WriteBackIdleDelay"] = "00:00:00.200",
    };

    [Test, CancelAfter(120_000)]
    public async Task TwoReplicas_OneDatabase_OneLeadsNothingIsDoubledAndTheOtherTakesOver(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var hostA = sandbox.BuildHost(FastLoops);
        using var hostB = sandbox.BuildHost(FastLoops);
        await ConnectorHost.PrepareAsync(hostA, cancellationToken);
        await ConnectorHost.PrepareAsync(hostB, cancellationToken);
        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runnerA = hostA.Services.GetRequiredService<ServiceRunner>();
        var runnerB = hostB.Services.GetRequiredService<ServiceRunner>();

        // Act 1: both run; one leads.
        var runA = runnerA.RunAsync(stopA.Token);
        var runB = runnerB.RunAsync(stopB.Token);
        var firstDone = await EventuallyAsync(() => sandbox.Org.Data.Pdfs().Count == 3 && sandbox.Org.Data.UblFiles().Count == 3, cancellationToken);
        var leases = hostA.Services.GetRequiredService<LeaseStore>();
        var leader = (await leases.FindAsync(ServiceRunner.LeaseName, cancellationToken))!.Holder;
        var (leaderStop, leaderRun, survivor) = leader == runnerA.Holder ? (stopA, runA, runnerB) : (stopB, runB, runnerA);

        // Act 2: the leader stops; a new order arrives; the other replica takes over and bills it.
        await leaderStop.CancelAsync();
        await leaderRun;
        AddOneTimeOrder(sandbox);
        var takenOver = await EventuallyAsync(() => sandbox.Org.Data.Pdfs().Count == 4 && sandbox.Org.Data.UblFiles().Count == 4, cancellationToken);
        var newLeader = (await leases.FindAsync(ServiceRunner.LeaseName, cancellationToken))!.Holder;
        await stopA.CancelAsync();
        await stopB.CancelAsync();
        await Task.WhenAll(runA, runB);

        // Assert
        var invoices = await hostA.Services.GetRequiredService<InvoiceStore>().ListAsync(cancellationToken);
        var files = sandbox.Org.Data.All("ContentVersion");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstDone, Is.True);
            Assert.That(takenOver, Is.True);
            Assert.That(newLeader, Is.EqualTo(survivor.Holder));
            Assert.That(invoices.Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002", "INV-000003", "INV-000004" }), "gapless, each billed once");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(4));
            Assert.That(files.Select(f => f["Connector_Content_Key__c"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(4 * OrgFiles.PerDocument).And.EqualTo(files.Count), "each PDF and UBL file uploaded once");
        }
    }

    [TestCase(150, nameof(StorageProvider.Sqlite))]
    [TestCase(600, nameof(StorageProvider.Sqlite))]
    [TestCase(1_200, nameof(StorageProvider.Sqlite))]
    [TestCase(2_500, nameof(StorageProvider.Sqlite))]
    [TestCase(150, nameof(StorageProvider.Postgres))]
    [TestCase(600, nameof(StorageProvider.Postgres))]
    [TestCase(1_200, nameof(StorageProvider.Postgres))]
    [TestCase(2_500, nameof(StorageProvider.Postgres))]
    [CancelAfter(120_000)]
    public async Task Stop_AtAnyMoment_ThenRestart_LeavesEverythingBilledAndWrittenExactlyOnce(int stopAfterMilliseconds, string providerName, CancellationToken cancellationToken)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        // Arrange: a slow org, so the stop lands inside calls and transactions.
        using var sandbox = new SandboxHarness(provider: provider);
        sandbox.Org.Faults.ResponseDelay = TimeSpan.FromMilliseconds(120);
        using (var first = sandbox.BuildHost(FastLoops))
        {
            await ConnectorHost.PrepareAsync(first, cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var run = first.Services.GetRequiredService<ServiceRunner>().RunAsync(stop.Token);

            // Act: SIGTERM after a while; the runner must end promptly and cleanly.
            await Task.Delay(stopAfterMilliseconds, cancellationToken);
            await stop.CancelAsync();
            var stoppedInTime = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)) == run;
            Assert.That(stoppedInTime, Is.True, "the runner stops within 10 s");
            await run;
        }

        // Act: a new process finishes the work.
        sandbox.Org.Faults.ResponseDelay = TimeSpan.Zero;
        using var second = sandbox.BuildHost(FastLoops);
        await ConnectorHost.PrepareAsync(second, cancellationToken);
        await second.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);
        var last = await second.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var invoices = await second.Services.GetRequiredService<InvoiceStore>().ListAsync(cancellationToken);
        var outbox = await second.Services.GetRequiredService<OutboxStore>().CountByStatusAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoices.Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002", "INV-000003" }));
            Assert.That(invoices.All(i => i.Lines.Count > 0 && i.Total == i.Net + i.Tax), Is.True, "no half-written invoice");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
            Assert.That(outbox.Keys, Is.EquivalentTo(new[] { "Done" }));
            Assert.That(last.InvoicesPosted, Is.Empty);
        }
    }

    private static void AddOneTimeOrder(SandboxHarness sandbox)
    {
        var data = sandbox.Org.Data;
        var account = data.All("Account").Single(a => a["Name"]!.GetValue<string>() == "Initech Ltd")["Id"]!.GetValue<string>();
        var product = data.All("Product2")[0]["Id"]!.GetValue<string>();
        var today = SandboxHarness.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var order = data.Insert("Order", new JsonObject
        {
            ["OrderNumber"] = "00000105", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = today, ["SBQQ__PaymentTerm__c"] = "Net 30",
        });
        data.Insert("OrderItem", new JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 300, ["TotalPrice"] = 300, ["ServiceDate"] = today,
            ["SBQQ__ChargeType__c"] = "One-Time",
        });
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }
}
