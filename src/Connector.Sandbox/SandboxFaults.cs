namespace Connector.Sandbox;

/// <summary>Faults a test can switch on; each applies to the data API (not the token endpoint) unless said.</summary>
internal sealed class SandboxFaults
{
    private int _unavailable;
    private int _expireSessions;
    private int _hanging;

    /// <summary>Every data call takes at least this long (a slow org), so tests can stop a process mid-call.</summary>
    public TimeSpan ResponseDelay { get; set; }

    private readonly Dictionary<string, int> _lockedKeys = new(StringComparer.Ordinal);

    /// <summary>Calls the org counts as already made today (by other integrations), on top of the connector's.</summary>
    public long ApiCallsUsedElsewhere { get; set; }

    /// <summary>
    /// The next write of a record with one of these keys (its external-id value in an upsert, its Id in an update, by
    /// collections, composite or bulk) answers UNABLE_TO_LOCK_ROW (once each).
    /// </summary>
    public void LockRecordsOnce(params string[] externalIds) => LockRecords(1, externalIds);

    /// <summary>The next <paramref name="times"/> writes of each of these records answer UNABLE_TO_LOCK_ROW.</summary>
    public void LockRecords(int times, params string[] externalIds)
    {
        lock (_lockedKeys)
        {
            foreach (var key in externalIds)
            {
                _lockedKeys[key] = times;
            }
        }
    }

    internal bool TakeLock(string externalId)
    {
        lock (_lockedKeys)
        {
            if (!_lockedKeys.TryGetValue(externalId, out var left) || left <= 0)
            {
                return false;
            }

            _lockedKeys[externalId] = left - 1;
            return true;
        }
    }

    /// <summary>The next <paramref name="count"/> data calls answer 503 SERVER_UNAVAILABLE.</summary>
    public void FailNextCalls(int count) => Interlocked.Exchange(ref _unavailable, count);

    /// <summary>Revokes every session: the next data call answers 401 INVALID_SESSION_ID until a new token is fetched.</summary>
    public void ExpireSessions() => Interlocked.Increment(ref _expireSessions);

    /// <summary>
    /// The next <paramref name="count"/> data calls (those <paramref name="which"/> accepts, if given) are done by the org
    /// but answered only after <see cref="HangFor"/>: a client that times out first cannot know whether its call landed.
    /// </summary>
    public void HangNextCalls(int count, Func<Http.SandboxRequest, bool>? which = null)
    {
        _hangWhich = which;
        Interlocked.Exchange(ref _hanging, count);
    }

    private Func<Http.SandboxRequest, bool>? _hangWhich;

    /// <summary>How long a hanging call waits before it answers. Default 30 s.</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(30);

    internal bool TakeUnavailable() => TakeOne(ref _unavailable);

    internal bool TakeHang(Http.SandboxRequest request)
    {
        if (Volatile.Read(ref _hanging) > 0 && (_hangWhich?.Invoke(request) ?? true) && TakeOne(ref _hanging))
        {
            Interlocked.Increment(ref _callsHung);
            return true;
        }

        return false;
    }

    private int _callsHung;

    /// <summary>Calls answered late by <see cref="HangNextCalls"/> so far.</summary>
    public int CallsHung => Volatile.Read(ref _callsHung);

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    internal bool TakeSessionExpiry() => Interlocked.Exchange(ref _expireSessions, 0) > 0;
}
