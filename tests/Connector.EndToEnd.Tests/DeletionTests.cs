using Microsoft.Extensions.Time.Testing;
using Connector.Sync.Quarantine;
using Connector.Sync.Ingest;
using Connector.Sync.Cycles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>Records deleted in the org: to the Recycle Bin (queryAll) and for good (getDeleted).</summary>
[TestFixture]
public sealed class DeletionTests
{
    private static readonly Dictionary<string, string?> EveryCycle = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Connector:Sync:DeletedCheckInterval"] = "00:00:00",
    };

    [Test, CancelAfter(120_000)]
    public async Task Cycle_LineDeletedToTheRecycleBin_IsHeldAndQuarantinedOnceThenRestored(CancellationToken cancellationToken)
    {
        // Arrange: a first cycle stores and bills the seed.
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(EveryCycle, cancellationToken);
        var cycle = await FirstCycleAsync(host, cancellationToken);
        var ingest = host.Services.GetRequiredService<IngestStore>();
        var line = sandbox.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();

        // Act: the line goes to the Recycle Bin; the next poll (queryAll) and the getDeleted check both see it.
        sandbox.Org.Data.Delete("OrderItem", line);
        var deleted = await cycle.RunAsync(cancellationToken);
        var quarantine = (await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken)).Where(q => q.RecordId == line).ToList();
        var heldAfterDeletion = HoldBilling(sandbox, line);

        sandbox.Org.Data.Undelete("OrderItem", line);
        await cycle.RunAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.Server.Requests.Any(r => r.Path == "/services/data/v62.0/queryAll"), Is.True, "incremental polls are queryAll");
            Assert.That(deleted.RecordsDeleted.GetValueOrDefault("OrderItem"), Is.GreaterThanOrEqualTo(1));
            Assert.That(quarantine, Has.Count.EqualTo(1), "seen twice, quarantined once");
            Assert.That(quarantine[0].Reason, Does.Contain("was deleted in Salesforce").And.Contain("its billing is held").And.Contain("Recycle Bin"));
            Assert.That(heldAfterDeletion, Is.True);
            Assert.That(HoldBilling(sandbox, line), Is.False, "restored: billed again");
            Assert.That((await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken)).Where(q => q.RecordId == line), Is.Empty, "restored: the row is resolved");
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Cycle_OrderDeletedForGood_FoundByGetDeletedAndItsLinesHeld(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var sandbox = new SandboxHarness(time: time);
        using var host = await sandbox.PreparedHostAsync(EveryCycle, cancellationToken);
        var cycle = await FirstCycleAsync(host, cancellationToken);
        var order = sandbox.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        var lines = sandbox.Org.Data.All("OrderItem").Where(l => l["OrderId"]!.GetValue<string>() == order).Select(l => l["Id"]!.GetValue<string>()).ToList();

        // Act: deleted for good (no Recycle Bin): only getDeleted can tell.
        sandbox.Org.Data.Purge("Order", order);
        time.Advance(TimeSpan.FromSeconds(1.1)); // getDeleted's end is asked to the second: let the deletion fall before it
        var report = await cycle.RunAsync(cancellationToken);
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.Server.Requests.Count(r => r.Path == "/services/data/v62.0/sobjects/Order/deleted/"), Is.EqualTo(1), "the first cycle only started the clock");
            Assert.That(report.RecordsDeleted.GetValueOrDefault("Order"), Is.EqualTo(1));
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines.Select(l => HoldBilling(sandbox, l)), Is.All.True);
            Assert.That(quarantine.Single(q => q.RecordId == order).Reason, Does.Contain("the billing of its lines is held"));
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Cycle_OrgRefusesGetDeletedForASource_WarnsAndTheCycleGoesOn(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness(org => org.NotReplicable.Add("Account"));
        using var host = await sandbox.PreparedHostAsync(EveryCycle, cancellationToken);
        var cycle = await FirstCycleAsync(host, cancellationToken);

        var second = await cycle.RunAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Warnings.Single(), Does.StartWith("Account: the org refused getDeleted (INVALID_TYPE"));
            Assert.That(second.NeedsAttention, Is.True);
            Assert.That(sandbox.Server.Requests.Count(r => r.Path == "/services/data/v62.0/sobjects/Order/deleted/"), Is.EqualTo(1), "the other sources are still checked");
        }
    }

    /// <summary>Runs a first cycle, which stores and bills the seed.</summary>
    private static async Task<SyncCycle> FirstCycleAsync(Microsoft.Extensions.Hosting.IHost host, CancellationToken cancellationToken)
    {
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        await cycle.RunAsync(cancellationToken);
        return cycle;
    }

    private static bool HoldBilling(SandboxHarness sandbox, string lineId)
    {
        using var connection = new SqliteConnection($"Data Source={sandbox.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hold_billing FROM order_line WHERE line_id = $id";
        command.Parameters.AddWithValue("$id", lineId);
        return Convert.ToInt64(command.ExecuteScalar() ?? throw new InvalidOperationException($"No line {lineId}"), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }
}
