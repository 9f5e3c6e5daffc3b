namespace Connector.Salesforce.Limits;

/// <summary>
/// API calls this process has made to the org (each one counts against the daily allocation) and the last
/// <see cref="LimitInfo"/> the org reported. Thread-safe; shared by every client.
/// </summary>
internal sealed class ApiUsage
{
    private long _calls;
    private LimitInfo? _last;

    public long Calls => Interlocked.Read(ref _calls);

    public LimitInfo? Last => Volatile.Read(ref _last);

    /// <summary>Usage read from the limits resource (no call counted here: the handler counted it).</summary>
    internal void Refresh(LimitInfo info) => Volatile.Write(ref _last, info);

    internal void Record(LimitInfo? info)
    {
        Interlocked.Increment(ref _calls);
        if (info is not null)
        {
            Volatile.Write(ref _last, info);
        }
    }
}
