using System.ComponentModel.DataAnnotations;

namespace Connector.Sync.ChangeEvents;

/// <summary>
/// Change Data Capture over the Pub/Sub API: which objects stream, on which channel, and how the stream is watched.
/// Bound from <c>Connector:ChangeEvents</c>. Off by default: polling alone then reads the org.
/// </summary>
internal sealed class ChangeEventOptions
{
    public const string SectionName = "Connector:ChangeEvents";

    /// <summary>Subscribe to change events in <c>connector run</c>. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The objects whose changes stream (they must be objects of mapped sources, and selected for Change Data Capture in
    /// Setup). Empty: every mapped source's object. Sources whose object is not listed keep polling.
    /// </summary>
    public List<string> Objects { get; set; } = [];

    /// <summary>
    /// A custom channel (<c>/data/Billing__chn</c>) carrying all <see cref="Objects"/>: one subscription, so each event is
    /// delivered (and counted against the org's allocation) once. Empty: one standard channel per object
    /// (<c>/data/OrderChangeEvent</c>, <c>/data/Connector_Usage__ChangeEvent</c>).
    /// </summary>
    public string? Channel { get; set; }

    /// <summary>
    /// How often streamed sources are still polled from their watermark, to catch what a stream cannot promise (a change
    /// committed late, an event the org never sent). Sources whose stream is down are polled every poll interval. Default 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The org's daily event delivery allocation (rolling 24 h, shared with other subscribers and high-volume platform
    /// events): 50,000 in Performance and Unlimited Edition, 25,000 in Enterprise, 10,000 in Developer Edition, more
    /// with the add-on. <c>status</c> shows today's events against it. Default 50,000.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long DailyDeliveryAllocation { get; set; } = 50_000;

    /// <summary>A stream that sends nothing, not even a keepalive (they come within 270 s), for this long is reconnected. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between reconnection attempts (they back off from 1 s, doubling). Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}
