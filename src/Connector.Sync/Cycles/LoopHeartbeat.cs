namespace Connector.Sync.Cycles;

/// <summary>When the run loop last started and finished a cycle; liveness fails when a cycle runs far too long.</summary>
internal sealed class LoopHeartbeat
{
    private long _cycleStartedTicks;
    private long _cycleEndedTicks;

    public void CycleStarted(DateTimeOffset at) => Interlocked.Exchange(ref _cycleStartedTicks, at.UtcTicks);

    public void CycleEnded(DateTimeOffset at) => Interlocked.Exchange(ref _cycleEndedTicks, at.UtcTicks);

    /// <summary>When the last ingest cycle ended (by the loop's clock), or null before the first.</summary>
    public DateTimeOffset? LastCycleEnded => Interlocked.Read(ref _cycleEndedTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>True when a cycle has been running longer than three poll intervals plus 30 minutes.</summary>
    public bool IsStuck(DateTimeOffset now, TimeSpan pollInterval)
    {
        var started = Interlocked.Read(ref _cycleStartedTicks);
        var ended = Interlocked.Read(ref _cycleEndedTicks);
        return started > ended && now.UtcTicks - started > (pollInterval * 3 + TimeSpan.FromMinutes(30)).Ticks;
    }
}
