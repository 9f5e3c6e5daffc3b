namespace Connector.EndToEnd.Tests;

/// <summary>
/// Real time moved to another day: the clock reads <c>start</c> at construction and runs on from there, while timers
/// and delays are the system's. Runs whole cycles (tokens, retries, leases) as if on a chosen date.
/// </summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan _offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
