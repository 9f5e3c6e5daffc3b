using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Connector.Salesforce;
using Connector.Storage;
using Connector.Sync.ChangeEvents;
using Connector.Sync.Cycles;
using Connector.Sync.Quarantine;
using Dapper;

namespace Connector.Sync.Tests.ChangeEvents;

/// <summary>
/// The change event stream against the sandbox org's Pub/Sub API: what it stores, what it skips, and every fallback
/// (no replay id, a rejected one, overflow, gap events, a reset stream, a stop between receiving and committing).
/// </summary>
[TestFixture]
public sealed class ChangeStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test, CancelAfter(60_000)]
    public async Task A_first_start_subscribes_at_the_tip_polls_what_came_before_and_then_stores_each_change_once(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var line = run.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();
        var before = await run.VersionsAsync(line);

        run.Change("OrderItem", line, new JsonObject { ["Quantity"] = 11 });

        await run.UntilAsync(async () => await run.VersionsAsync(line) == before + 1, cancellationToken);
        var channel = run.Channel("/data/OrderItemChangeEvent")!;
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(1), "the first poll stored it");
            Assert.That(channel.LastFallbackReason, Does.Contain("no stored replay id"));
            Assert.That(channel.ReplayId, Is.Not.Null);
            Assert.That(channel.EventsToday, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test, CancelAfter(60_000)]
    public async Task The_connectors_own_writes_are_skipped_without_reading_anything(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        // Every channel's first poll done (each queries its object once), so that the count below moves only if the event is read back.
        await run.UntilAsync(() => run.EveryChannelPolled, cancellationToken);
        var order = run.Harness.Org.Data.All("Order")[0]["Id"]!.GetValue<string>();
        var queries = run.Queries;

        run.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await run.Harness.Get<SalesforceClient>().UpdateAsync(
            [new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Order" }, ["Id"] = order, ["Connector_Last_Invoice_Number__c"] = "INV-000009" }], cancellationToken);

        await run.UntilAsync(() => run.Channel("/data/OrderChangeEvent") is { OwnSkipped: 1 }, cancellationToken);
        Assert.That(run.Queries, Is.EqualTo(queries), "an event of the connector's own write is not read back");
    }

    [Test, CancelAfter(60_000)]
    public async Task A_write_back_field_changed_by_someone_else_is_skipped_by_content_and_a_mapped_one_is_read(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var order = run.Harness.Org.Data.All("Order").First(o => o["Status"]!.GetValue<string>() == "Activated")["Id"]!.GetValue<string>();
        var before = await run.VersionsAsync(order);

        run.Change("Order", order, new JsonObject { ["Connector_Last_Invoice_Number__c"] = "INV-000042" }); // a flow copying it, say
        await run.UntilAsync(() => run.Channel("/data/OrderChangeEvent") is { OwnSkipped: 1 }, cancellationToken);
        run.Change("Order", order, new JsonObject { ["SBQQ__PaymentTerm__c"] = "Net 60" });

        await run.UntilAsync(async () => await run.VersionsAsync(order) == before + 1, cancellationToken);
    }

    [Test, CancelAfter(60_000)]
    public async Task Gap_events_are_read_back_by_their_ids(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var line = run.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();
        var before = await run.VersionsAsync(line);

        run.Harness.Org.ChangeEvents.GapNext(1);
        run.Change("OrderItem", line, new JsonObject { ["Quantity"] = 12 });

        await run.UntilAsync(async () => await run.VersionsAsync(line) == before + 1, cancellationToken);
        Assert.That(run.Harness.Org.ChangeEvents.Log.All[^1].Change.ChangeType, Is.EqualTo("GAP_UPDATE"));
    }

    [Test, CancelAfter(60_000)]
    public async Task An_overflow_event_polls_its_object_from_the_watermark(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var line = run.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();
        var before = await run.VersionsAsync(line);

        run.Harness.Org.ChangeEvents.OverflowNext("OrderItem");
        run.Change("OrderItem", line, new JsonObject { ["Quantity"] = 13 });

        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 2 }, cancellationToken);
        await run.UntilAsync(async () => await run.VersionsAsync(line) == before + 1, cancellationToken);
        Assert.That(run.Channel("/data/OrderItemChangeEvent")!.LastFallbackReason, Does.Contain("overflow"));
    }

    [Test, CancelAfter(60_000)]
    public async Task A_rejected_replay_id_is_forgotten_and_a_poll_from_the_watermark_reads_what_the_stream_missed(CancellationToken cancellationToken)
    {
        await using var first = await StreamRun.StartAsync(cancellationToken);
        await first.UntilAsync(() => first.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1, ReplayId: not null }, cancellationToken);
        var harness = await first.StopAsync();
        var line = harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        harness.Org.Data.Update("OrderItem", line, new JsonObject { ["Quantity"] = 14 }); // while the connector is down
        harness.Org.ChangeEvents.RejectReplayIds = true; // e.g. down for more than 72 h

        await using var second = await StreamRun.StartAsync(cancellationToken, harness);
        await second.UntilAsync(() => second.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 2 }, cancellationToken);
        await second.UntilAsync(async () => await second.VersionsAsync(line) == 2, cancellationToken);
        Assert.That(second.Channel("/data/OrderItemChangeEvent")!.LastFallbackReason, Does.Contain("rejected the stored replay id"));
    }

    [Test, CancelAfter(60_000)]
    public async Task A_stream_reset_mid_delivery_resumes_from_the_stored_replay_id_and_loses_nothing(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var lines = run.Harness.Org.Data.All("OrderItem").Select(l => l["Id"]!.GetValue<string>()).Take(3).ToList();
        var subscriptions = run.Harness.Org.ChangeEvents.Subscriptions;

        // The first event is delivered, then the stream is reset before the connector asks for more.
        run.Harness.Org.ChangeEvents.ResetStreamsAfter(1);
        run.Change("OrderItem", lines[0], new JsonObject { ["Quantity"] = 21 });
        await run.UntilAsync(async () => await run.VersionsAsync(lines[0]) == 2, cancellationToken);
        foreach (var line in lines.Skip(1))
        {
            run.Change("OrderItem", line, new JsonObject { ["Quantity"] = 21 });
        }

        foreach (var line in lines)
        {
            await run.UntilAsync(async () => await run.VersionsAsync(line) == 2, cancellationToken);
        }

        await run.UntilAsync(() => run.Harness.Org.ChangeEvents.Subscriptions > subscriptions, cancellationToken);
        Assert.That(run.Channel("/data/OrderItemChangeEvent")!.FallbackPolls, Is.EqualTo(1), "resumed from the stored replay id: no poll");
    }

    [Test, CancelAfter(60_000)]
    public async Task A_stop_between_receiving_an_event_and_committing_it_replays_it_once_on_restart(CancellationToken cancellationToken)
    {
        await using var first = await StreamRun.StartAsync(cancellationToken);
        await first.UntilAsync(() => first.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1, ReplayId: not null }, cancellationToken);
        var line = first.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();
        var stored = first.Channel("/data/OrderItemChangeEvent")!.ReplayId;

        // The read-back of the event's record hangs (the org answers late); the connector stops meanwhile.
        first.Harness.Org.Faults.HangFor = TimeSpan.FromSeconds(20);
        first.Harness.Org.Faults.HangNextCalls(1, r => r.Path.Contains("/queryAll", StringComparison.Ordinal));
        var readBacks = first.ReadBacks;
        first.Change("OrderItem", line, new JsonObject { ["Quantity"] = 15 });
        await first.UntilAsync(() => first.ReadBacks > readBacks, cancellationToken);
        var harness = await first.StopAsync();
        Assert.That(await first.VersionsAsync(line), Is.EqualTo(1), "nothing of the event was committed");
        Assert.That(first.Channel("/data/OrderItemChangeEvent")!.ReplayId, Is.EqualTo(stored), "nor its replay id");

        await using var second = await StreamRun.StartAsync(cancellationToken, harness);
        await second.UntilAsync(async () => await second.VersionsAsync(line) == 2, cancellationToken);
        await second.UntilAsync(() => second.Channel("/data/OrderItemChangeEvent")!.ReplayId != stored, cancellationToken);
        Assert.Multiple(async () =>
        {
            Assert.That(await second.VersionsAsync(line), Is.EqualTo(2), "replayed once, stored once");
            Assert.That(second.Channel("/data/OrderItemChangeEvent")!.FallbackPolls, Is.EqualTo(1), "resumed from the replay id, no poll needed");
        });
    }

    [Test, CancelAfter(60_000)]
    public async Task A_spent_delivery_allocation_takes_the_stream_down_and_its_sources_back_to_polling(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        var streams = run.Harness.Get<ChangeStreams>();
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 } && streams.LiveSources.Contains("orderItem"), cancellationToken);
        var line = run.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();

        run.Harness.Org.ChangeEvents.DailyDeliveryAllocation = run.Harness.Org.ChangeEvents.Delivered; // spent
        run.Change("OrderItem", line, new JsonObject { ["Quantity"] = 16 });

        await run.UntilAsync(() => !streams.LiveSources.Contains("orderItem"), cancellationToken);
        Assert.That(await run.VersionsAsync(line), Is.EqualTo(1), "the event was refused, not delivered");
    }

    [Test, CancelAfter(60_000)]
    public async Task A_channel_the_user_may_not_subscribe_to_is_never_subscribed_and_its_sources_keep_polling(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken, unsubscribable: "/data/OrderItemChangeEvent");
        var pubSub = run.Harness.Org.ChangeEvents;
        await run.UntilAsync(() => run.Channel("/data/OrderChangeEvent") is { FallbackPolls: 1 } && pubSub.TopicRequests.GetValueOrDefault("/data/OrderItemChangeEvent") >= 1, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Harness.Get<ChangeStreams>().LiveSources, Does.Not.Contain("orderItem").And.Contain("order"));
            Assert.That(run.Channel("/data/OrderItemChangeEvent"), Is.Null, "never subscribed, never polled for the stream");
            Assert.That(pubSub.Subscriptions, Is.EqualTo(6), "Account, Contract, Order and the three usage sources subscribed; OrderItem refused before Subscribe");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task A_record_deleted_for_good_is_known_from_its_delete_event(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken);
        await run.UntilAsync(() => run.Channel("/data/OrderItemChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var line = run.Harness.Org.Data.All("OrderItem")[0]["Id"]!.GetValue<string>();

        run.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        run.Harness.Org.Locked(data =>
        {
            data.Purge("OrderItem", line);
            return 0;
        });

        await run.UntilAsync(async () => (await run.Harness.Get<QuarantineStore>().OpenAsync(cancellationToken)).Any(q => q.RecordId == line && q.Reason.Contains("was deleted", StringComparison.Ordinal)), cancellationToken);
    }

    [Test, CancelAfter(60_000)]
    public async Task Bill_now_ticked_on_an_order_bills_it_and_clears_the_box(CancellationToken cancellationToken)
    {
        await using var run = await StreamRun.StartAsync(cancellationToken, billPromptly: true);
        await run.UntilAsync(() => run.Channel("/data/OrderChangeEvent") is { FallbackPolls: 1 }, cancellationToken);
        var order = run.Harness.Org.Data.All("Order").First(o => o["OrderNumber"]!.GetValue<string>() == "00000101")["Id"]!.GetValue<string>();

        run.Change("Order", order, new JsonObject { ["Connector_Bill_Now__c"] = true });

        await run.UntilAsync(() => !run.Posted.IsEmpty, cancellationToken);
        await run.UntilAsync(() => run.Harness.Org.Locked(data => data.Find("Order", order)!["Connector_Bill_Now__c"]!.GetValue<bool>()) == false, cancellationToken);
        Assert.That(run.Posted.Select(i => i.Lines.Select(l => l.Description).First()), Has.All.Contain("00000101"), "only the order asked for");
    }

    /// <summary>One stream per mapped object against the harness's org, on a background task, until stopped.</summary>
    private sealed class StreamRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _streams = [];
        private bool _stopped;
        private bool _ownsHarness;

        private StreamRun(SyncHarness harness) => Harness = harness;

        public SyncHarness Harness { get; }

        public ConcurrentBag<Invoicing.Invoices.Invoice> Posted { get; } = [];

        private IReadOnlyList<ChannelState> _channels = [];

        public int Queries => Harness.Server.Requests.Count(r => r.Path.Contains("/query", StringComparison.Ordinal));

        public int ReadBacks => Harness.Server.Requests.Count(r => r.Path.Contains("/queryAll", StringComparison.Ordinal));

        public static async Task<StreamRun> StartAsync(CancellationToken cancellationToken, SyncHarness? harness = null, bool billPromptly = false, string? unsubscribable = null)
        {
            var owns = harness is null;
            harness ??= await SyncHarness.StartAsync(new Dictionary<string, string?> { ["Connector:ChangeEvents:Enabled"] = "true" });
            if (unsubscribable is not null)
            {
                harness.Org.ChangeEvents.Unsubscribable.Add(unsubscribable);
            }

            harness.Org.ChangeEvents.KeepaliveInterval = TimeSpan.FromMilliseconds(200); // idle streams learn the tip quickly
            var run = new StreamRun(harness) { _ownsHarness = owns };
            var stream = harness.Get<ChangeStream>();
            var prompt = harness.Get<PromptBilling>();
            foreach (var channel in harness.Get<ChangeStreams>().Channels)
            {
                run._streams.Add(Task.Run(() => stream.RunAsync(channel, async (stored, ct) =>
                {
                    if (billPromptly && prompt.IsDue(stored))
                    {
                        var report = new CycleReport();
                        await prompt.RunAsync(stored, report, ct);
                        foreach (var invoice in report.InvoicesPosted)
                        {
                            run.Posted.Add(invoice);
                        }
                    }
                }, run._stop.Token), CancellationToken.None));
            }

            return run;
        }

        public ChannelState? Channel(string name) => _channels.FirstOrDefault(c => c.Channel == name);

        /// <summary>Whether every channel the run streams has made its first fallback poll.</summary>
        public bool EveryChannelPolled => _channels.Count == _streams.Count && _channels.All(c => c.FallbackPolls >= 1);

        /// <summary>A change made in the org by a user, a second after the last one (versions are told apart by SystemModstamp).</summary>
        public void Change(string objectName, string id, JsonObject fields)
        {
            Harness.Time.Advance(TimeSpan.FromSeconds(1));
            Harness.Org.Locked(data =>
            {
                data.Update(objectName, id, fields);
                return 0;
            });
        }

        public async Task<long> VersionsAsync(string recordId)
        {
            var database = Harness.Get<ConnectorDatabase>();
            await using var connection = await database.OpenAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record WHERE record_id = @RecordId", new { RecordId = recordId });
        }

        public Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken) => UntilAsync(() => Task.FromResult(condition()), cancellationToken);

        public async Task UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Wait);
            while (true)
            {
                _channels = await Harness.Get<ChannelStore>().ListAsync(CancellationToken.None);
                if (await condition())
                {
                    return;
                }

                foreach (var failed in _streams.Where(s => s.IsFaulted))
                {
                    await failed; // a stream that died says why
                }

                await Task.Delay(20, timeout.Token);
                Harness.Time.Advance(TimeSpan.FromMilliseconds(250)); // reconnection backoffs run on the fake clock
            }
        }

        /// <summary>Stops the streams (as a killed process would stop them: mid-call), keeping the org and the database.</summary>
        public async Task<SyncHarness> StopAsync()
        {
            _stopped = true;
            await _stop.CancelAsync();
            foreach (var stream in _streams)
            {
                try
                {
                    await stream;
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }

            _channels = await Harness.Get<ChannelStore>().ListAsync(CancellationToken.None);
            return Harness;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stopped)
            {
                await StopAsync();
            }

            _stop.Dispose();
            if (_ownsHarness)
            {
                await Harness.DisposeAsync();
            }
        }
    }
}
