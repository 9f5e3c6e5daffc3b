using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.PubSub;

/// <summary>A record change as the org publishes it on its change data capture channels.</summary>
/// <param name="Entity">The object's API name.</param>
/// <param name="RecordIds">The records (none for GAP_OVERFLOW).</param>
/// <param name="ChangeType">CREATE, UPDATE, DELETE, UNDELETE, or their GAP_ forms, or GAP_OVERFLOW.</param>
/// <param name="Values">The changed fields' values (none for gap events).</param>
/// <param name="NulledFields">Fields the change set to null.</param>
/// <param name="Origin">The changeOrigin: <c>com/salesforce/api/rest/62.0;client=…</c> for an API call; empty otherwise.</param>
internal sealed record RecordChange(string Entity, IReadOnlyList<string> RecordIds, string ChangeType, JsonObject Values, IReadOnlyList<string> NulledFields, string Origin);

/// <summary>A change stored in the event bus with its replay id (a position in the org's one stream) and commit time.</summary>
internal sealed record StoredChange(long ReplayId, DateTimeOffset CommittedAt, string TransactionKey, RecordChange Change);

/// <summary>
/// The org's event bus for change events: every change appended in order with a replay id, kept for the retention
/// period (72 h, as Salesforce keeps change events), and a signal for the subscribers waiting on the tip. Thread-safe.
/// </summary>
internal sealed class ChangeEventLog(TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private readonly List<StoredChange> _events = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _latest;

    /// <summary>How long events are kept. Default 72 h.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The replay id of the newest event (0 before any).</summary>
    public long Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    public void Append(RecordChange change)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            _events.RemoveAll(e => now - e.CommittedAt > Retention);
            _latest++;
            _events.Add(new StoredChange(_latest, now, $"{_latest:x8}-sandbox", change));
            signal = _appended;
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>Completes when an event is appended after this call.</summary>
    public Task NextAppendAsync()
    {
        lock (_gate)
        {
            return _appended.Task;
        }
    }

    /// <summary>Whether a subscriber may resume after <paramref name="replayId"/>: it is no newer than the tip, and every event after it is still kept.</summary>
    public bool CanResumeAfter(long replayId)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            _events.RemoveAll(e => now - e.CommittedAt > Retention);
            var oldestKept = _events.Count > 0 ? _events[0].ReplayId : _latest + 1;
            return replayId >= 0 && replayId <= _latest && replayId >= oldestKept - 1;
        }
    }

    /// <summary>Up to <paramref name="max"/> kept events after <paramref name="replayId"/> that <paramref name="matches"/>, oldest first.</summary>
    public IReadOnlyList<StoredChange> After(long replayId, Func<RecordChange, bool> matches, int max)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => e.ReplayId > replayId && matches(e.Change)).Take(max)];
        }
    }

    /// <summary>Every kept event (tests).</summary>
    public IReadOnlyList<StoredChange> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public static byte[] Encode(long replayId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, replayId);
        return bytes;
    }

    public static long? Decode(ReadOnlySpan<byte> replayId) => replayId.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(replayId) : null;
}
