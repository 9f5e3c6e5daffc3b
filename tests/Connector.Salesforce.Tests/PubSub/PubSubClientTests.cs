using System.Text.Json.Nodes;
using Connector.Salesforce.PubSub;

namespace Connector.Salesforce.Tests.PubSub;

/// <summary>The Pub/Sub client against the sandbox org's gRPC service: auth metadata, schemas, Avro, flow control and failures.</summary>
[TestFixture]
internal sealed class PubSubClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task An_update_arrives_decoded_with_its_header_and_changed_fields()
    {
        using var sandbox = new SandboxOrgClient();
        var order = sandbox.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        using var timeout = new CancellationTokenSource(Wait);
        await using var stream = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", Tip(sandbox), TimeSpan.FromMinutes(5), timeout.Token);

        sandbox.Org.Data.Update("Order", order, new JsonObject { ["Status"] = "Draft" });
        var batch = await FirstWithEventsAsync(stream, timeout.Token);

        var change = batch.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That(change.EntityName, Is.EqualTo("Order"));
            Assert.That(change.RecordIds, Is.EqualTo(new[] { order }));
            Assert.That(change.ChangeType, Is.EqualTo("UPDATE"));
            Assert.That(change.ChangedFields, Does.Contain("Status").And.Contain("LastModifiedDate"));
            Assert.That(change.ChangedFields, Does.Not.Contain("EffectiveDate"));
            Assert.That(change.ChangeOrigin, Is.Empty, "a change made in the org, not by an API call");
            Assert.That(batch.LatestReplayId.ToArray(), Is.EqualTo(change.ReplayId.ToArray()));
        });
    }

    [Test]
    public async Task A_write_through_the_client_names_the_connector_in_the_change_origin()
    {
        using var sandbox = new SandboxOrgClient();
        var order = sandbox.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        using var timeout = new CancellationTokenSource(Wait);
        await using var stream = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", Tip(sandbox), TimeSpan.FromMinutes(5), timeout.Token);

        await sandbox.Client.UpdateAsync([new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Order" }, ["Id"] = order, ["Connector_Last_Invoice_Number__c"] = "INV-1" }], timeout.Token);
        var change = (await FirstWithEventsAsync(stream, timeout.Token)).Events.Single();

        Assert.That(change.MadeBy("invoicing-connector"), Is.True, change.ChangeOrigin);
        Assert.That(change.ChangeOrigin, Does.StartWith("com/salesforce/api/rest/"));
    }

    [Test]
    public async Task A_replay_id_resumes_after_it_and_a_rejected_one_fails_as_replay_rejected()
    {
        using var sandbox = new SandboxOrgClient();
        var orders = sandbox.Org.Data.All("Order").Select(o => o["Id"]!.GetValue<string>()).ToList();
        using var timeout = new CancellationTokenSource(Wait);
        var first = sandbox.Org.ChangeEvents.Log.Latest;
        sandbox.Org.Data.Update("Order", orders[0], new JsonObject { ["Type"] = "Renewal" });
        sandbox.Org.Data.Update("Order", orders[1], new JsonObject { ["Type"] = "Renewal" });

        var afterFirst = Connector.Sandbox.PubSub.ChangeEventLog.Encode(first + 1);
        await using (var stream = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", afterFirst, TimeSpan.FromMinutes(5), timeout.Token))
        {
            var batch = await FirstWithEventsAsync(stream, timeout.Token);
            Assert.That(batch.Events.Select(e => e.RecordIds[0]), Is.EqualTo(new[] { orders[1] }));
        }

        sandbox.Org.ChangeEvents.RejectReplayIds = true;
        await using var refused = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", afterFirst, TimeSpan.FromMinutes(5), timeout.Token);
        var failure = await Assert.ThrowsAsync<PubSubException>(async () => await FirstWithEventsAsync(refused, timeout.Token));
        Assert.That(failure!.Failure, Is.EqualTo(PubSubFailure.ReplayRejected));
        Assert.That(failure.ErrorCode, Does.EndWith("replayid.corrupted"));
    }

    [Test]
    public async Task More_events_than_one_request_arrive_in_order_in_batches_of_at_most_100()
    {
        using var sandbox = new SandboxOrgClient();
        var order = sandbox.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        using var timeout = new CancellationTokenSource(Wait);
        await using var stream = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", Tip(sandbox), TimeSpan.FromMinutes(5), timeout.Token);
        for (var i = 0; i < 250; i++)
        {
            sandbox.Org.Data.Update("Order", order, new JsonObject { ["Connector_Last_Invoice_Number__c"] = $"INV-{i}" });
        }

        var replayIds = new List<long>();
        await foreach (var batch in stream.ReadAllAsync(timeout.Token))
        {
            Assert.That(batch.Events, Has.Count.LessThanOrEqualTo(PubSubStream.BatchSize));
            replayIds.AddRange(batch.Events.Select(e => Connector.Sandbox.PubSub.ChangeEventLog.Decode(e.ReplayId.Span)!.Value));
            if (replayIds.Count >= 250)
            {
                break;
            }
        }

        Assert.That(replayIds, Is.Ordered.And.Unique.And.Count.EqualTo(250));
        Assert.That(stream.Requests, Is.GreaterThanOrEqualTo(3), "250 events need at least three requests of 100");
    }

    [Test]
    public async Task An_expired_session_fails_as_auth_and_the_next_subscription_fetches_a_new_token()
    {
        using var sandbox = new SandboxOrgClient();
        using var timeout = new CancellationTokenSource(Wait);
        await sandbox.Client.QueryAsync("SELECT Id FROM Account", timeout.Token); // a token is cached
        sandbox.Org.Faults.ExpireSessions();
        await sandbox.Client.QueryAsync("SELECT Id FROM Account", timeout.Token); // the REST call renews it...
        var tokens = sandbox.Org.TokensIssued;
        sandbox.Org.Faults.ExpireSessions();
        _ = sandbox.Org.DataCall(null, () => Connector.Sandbox.Http.SandboxResponse.Error(401, "X", "")); // ...and the org forgets it again

        await using var refused = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", null, TimeSpan.FromMinutes(5), timeout.Token);
        var failure = await Assert.ThrowsAsync<PubSubException>(async () => await FirstWithEventsAsync(refused, timeout.Token));
        Assert.That(failure!.Failure, Is.EqualTo(PubSubFailure.Auth));

        await using var renewed = await sandbox.PubSub.SubscribeAsync("/data/OrderChangeEvent", null, TimeSpan.FromMinutes(5), timeout.Token);
        await WaitUntilSubscribedAsync(sandbox, 1); // the refused call never got that far
        Assert.That(sandbox.Org.TokensIssued, Is.EqualTo(tokens + 1));
    }

    /// <summary>The replay id of the org's newest event: a subscription after it sees every change made from now on.</summary>
    private static byte[] Tip(SandboxOrgClient sandbox) => Connector.Sandbox.PubSub.ChangeEventLog.Encode(sandbox.Org.ChangeEvents.Log.Latest);

    private static async Task WaitUntilSubscribedAsync(SandboxOrgClient sandbox, int subscriptions)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (sandbox.Org.ChangeEvents.Subscriptions < subscriptions)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task<FetchedBatch> FirstWithEventsAsync(PubSubStream stream, CancellationToken cancellationToken)
    {
        await foreach (var batch in stream.ReadAllAsync(cancellationToken))
        {
            if (batch.Events.Count > 0)
            {
                return batch;
            }
        }

        throw new InvalidOperationException("The stream ended without events.");
    }
}
