using Microsoft.Extensions.Time.Testing;
using Connector.Sync.Cycles;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>The org's API allocation is the connector's scarcest resource: budget, exhaustion and row locks.</summary>
[TestFixture]
public sealed class ApiBudgetTests
{
    [Test, CancelAfter(60_000)]
    public async Task Cycle_UsageAboveTheBudget_PausesOrgWorkAndResumesWhenUsageFalls(CancellationToken cancellationToken)
    {
        // Arrange: other integrations already used 60 % of the day's calls; the budget is 50 %.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var sandbox = new SandboxHarness(time: time);
        sandbox.Org.Faults.ApiCallsUsedElsewhere = 9_000;
        using var host = sandbox.BuildHost(new Dictionary<string, string?> { ["Connector:Sync:PollInterval"] = "00:00:01" });
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();

        // Act 1
        var paused = await cycle.RunAsync(cancellationToken);
        var callsWhilePaused = sandbox.Org.ApiCalls;

        // Act 2: the rolling window frees capacity.
        sandbox.Org.Faults.ApiCallsUsedElsewhere = 1_000;
        time.Advance(TimeSpan.FromSeconds(1.1)); // one poll interval: the gate may ask the org again
        var resumed = await cycle.RunAsync(cancellationToken);
        var again = await cycle.RunAsync(cancellationToken);

        // Assert
        var last = (await host.Services.GetRequiredService<CycleStore>().LastCyclesAsync(cancellationToken)).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(paused.Paused, Does.Contain("at or above the budget of 50"));
            Assert.That(callsWhilePaused, Is.EqualTo(1), "one query told the usage; nothing else was started");
            Assert.That(paused.TotalWrittenBack, Is.Zero);
            Assert.That(resumed.Paused, Is.Null);
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
            Assert.That(again.TotalWrittenBack, Is.Zero);
            Assert.That(last.Outcome, Is.EqualTo("Succeeded"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_AllocationSpent_StopsAfterTheRefusalAndDoesNotHammerTheOrg(CancellationToken cancellationToken)
    {
        // Arrange: the org has no calls left today.
        using var sandbox = new SandboxHarness();
        sandbox.Org.Faults.ApiCallsUsedElsewhere = sandbox.Org.DailyApiAllocation;
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();

        // Act
        var first = await CatchAsync(() => cycle.RunAsync(cancellationToken));
        var second = await cycle.RunAsync(cancellationToken);
        var refused = sandbox.Server.Requests.Count(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Does.Contain("REQUEST_LIMIT_EXCEEDED"));
            Assert.That(second.Paused, Does.Contain("REQUEST_LIMIT_EXCEEDED"));
            Assert.That(refused, Is.EqualTo(1), "after the refusal, nothing more is sent during the cool-down");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_RecordLockedOnce_IsRetriedAndEveryRecordEndsWrittenExactlyOnce(CancellationToken cancellationToken)
    {
        // Arrange: the first upsert of INV-000002 meets a row lock (a trigger on the org holding it).
        using var sandbox = new SandboxHarness();
        sandbox.Org.Faults.LockRecordsOnce("INV-000002");
        using var host = sandbox.BuildHost(new Dictionary<string, string?> { ["Connector:Sync:WriteBackRetryDelay"] = "00:00:00" });
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();

        // Act
        var first = await cycle.RunAsync(cancellationToken);
        var second = await cycle.RunAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.WriteBackFailures.Single(), Does.Contain("UNABLE_TO_LOCK_ROW").And.Contain("retrying"));
            Assert.That(first.ParkedWriteBacks, Is.Zero, "a row lock is retried, not a person's problem");
            // The locked record is retried (in the first cycle's next pass, or in the second) and written once.
            Assert.That(first.WrittenBack.Concat(second.WrittenBack).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)),
                Is.EquivalentTo(new Dictionary<string, int> { ["Connector_Invoice__c"] = 3, ["Order"] = 3, ["Account"] = 3, ["ContentVersion"] = 3 * OrgFiles.PerDocument, ["PDF link"] = 3, ["Connector_Usage_Summary__c"] = 2, ["Connector_Usage__c"] = 4 }));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            Assert.That(sandbox.Org.Data.All("ContentVersion").Select(f => f["Connector_Content_Key__c"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(3 * OrgFiles.PerDocument));
        }
    }

    private static async Task<string> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return "";
        }
        catch (Connector.Salesforce.SalesforceApiException ex)
        {
            return ex.Message;
        }
    }
}
