namespace Connector.Sandbox.PubSub;

/// <summary>
/// The org's Change Data Capture: every record change (from the API, a test, or the seed) is published to the event
/// bus, and the Pub/Sub API serves it. Switches make it misbehave the ways a real org does: gap events, overflow
/// events, replay ids it no longer accepts, streams reset mid-delivery, slow delivery and a spent delivery allocation.
/// </summary>
internal sealed class SandboxPubSub
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _overflowNext = new(StringComparer.OrdinalIgnoreCase);
    private int _gapsLeft;
    private int _resetAfter = -1;
    private long _delivered;

    public SandboxPubSub(Data.SandboxSchema objects, TimeProvider timeProvider)
    {
        Log = new ChangeEventLog(timeProvider);
        Schemas = new ChangeEventSchemas(objects);
    }

    public ChangeEventLog Log { get; }

    public ChangeEventSchemas Schemas { get; }

    /// <summary>Objects whose changes are published; empty publishes every object's (as if all were selected). Default empty.</summary>
    public HashSet<string> SelectedEntities { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often an idle stream with requested events gets a keepalive (its latest replay id). Salesforce: within 270 s. Default 270 s.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(270);

    /// <summary>A pause before each delivery (a slow event bus).</summary>
    public TimeSpan DeliveryDelay { get; set; }

    /// <summary>Events the org delivers per subscriber day before it answers subscription.limit.exceeded. Default 50,000.</summary>
    public long DailyDeliveryAllocation { get; set; } = 50_000;

    /// <summary>Events delivered so far, over every subscription.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Every Subscribe call received (tests count reconnections).</summary>
    public int Subscriptions => _subscriptions;

    private int _subscriptions;

    /// <summary>Topics GetTopic answers with can_subscribe false (the integration user lacks read access to their objects).</summary>
    public HashSet<string> Unsubscribable { get; } = new(StringComparer.Ordinal);

    /// <summary>GetTopic calls received, by topic.</summary>
    public IReadOnlyDictionary<string, int> TopicRequests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_topicRequests, StringComparer.Ordinal);
            }
        }
    }

    private readonly Dictionary<string, int> _topicRequests = new(StringComparer.Ordinal);

    internal void TopicAsked(string topic)
    {
        lock (_gate)
        {
            _topicRequests[topic] = _topicRequests.GetValueOrDefault(topic) + 1;
        }
    }

    /// <summary>Replay ids are refused as corrupted (a stored id from another org, or from before a restore).</summary>
    public bool RejectReplayIds { get; set; }

    /// <summary>The next <paramref name="count"/> changes are published as gap events (header and ids only).</summary>
    public void GapNext(int count) => Interlocked.Exchange(ref _gapsLeft, count);

    /// <summary>The next change to <paramref name="entity"/> comes as one GAP_OVERFLOW event (a transaction of more than 100,000 changes).</summary>
    public void OverflowNext(string entity)
    {
        lock (_gate)
        {
            _overflowNext.Add(entity);
        }
    }

    /// <summary>Every open stream is reset (UNAVAILABLE, RST_STREAM) after it delivers <paramref name="events"/> more events; -1 never.</summary>
    public void ResetStreamsAfter(int events) => Interlocked.Exchange(ref _resetAfter, events);

    internal void Publish(RecordChange change)
    {
        if (SelectedEntities.Count > 0 && !SelectedEntities.Contains(change.Entity))
        {
            return;
        }

        lock (_gate)
        {
            if (_overflowNext.Remove(change.Entity))
            {
                change = change with { RecordIds = [], ChangeType = "GAP_OVERFLOW", Values = [], NulledFields = [] };
            }
        }

        if (!change.ChangeType.StartsWith("GAP_", StringComparison.Ordinal) && Interlocked.Decrement(ref _gapsLeft) >= 0)
        {
            change = change with { ChangeType = "GAP_" + change.ChangeType, Values = [], NulledFields = [] };
        }

        Log.Append(change);
    }

    internal void Subscribed() => Interlocked.Increment(ref _subscriptions);

    /// <summary>Counts a delivery; false when the daily allocation is spent.</summary>
    internal bool TakeDelivery(int events) => Interlocked.Add(ref _delivered, events) <= DailyDeliveryAllocation;

    /// <summary>Whether a stream must be reset now, having delivered <paramref name="events"/> more.</summary>
    internal bool TakeReset(int events)
    {
        while (true)
        {
            var left = Volatile.Read(ref _resetAfter);
            if (left < 0)
            {
                return false;
            }

            var next = Math.Max(left - events, 0);
            if (Interlocked.CompareExchange(ref _resetAfter, left - events <= 0 ? -1 : next, left) == left)
            {
                return left - events <= 0;
            }
        }
    }
}
