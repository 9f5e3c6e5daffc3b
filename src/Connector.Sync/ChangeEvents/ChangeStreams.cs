using System.Collections.Concurrent;
using Connector.Mapping.Transform;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

/// <summary>One channel to subscribe to and the mapped sources its events feed.</summary>
internal sealed record StreamedChannel(string Name, IReadOnlySet<string> Sources);

/// <summary>
/// Which channels stream (from <see cref="ChangeEventOptions"/> and the mapping) and which of them are subscribed now:
/// the ingest loop polls a source every poll interval unless its stream is live, and then only to reconcile.
/// </summary>
internal sealed class ChangeStreams(IOptions<ChangeEventOptions> options, RecordMapper mapper)
{
    private readonly ConcurrentDictionary<string, bool> _live = new(StringComparer.Ordinal);

    public bool Enabled => options.Value.Enabled;

    /// <summary>The channels to subscribe to: the custom channel, or one standard channel per streamed object.</summary>
    public IReadOnlyList<StreamedChannel> Channels
    {
        get
        {
            var o = options.Value;
            var sources = mapper.Profile.Sources
                .Where(s => o.Objects.Count == 0 || o.Objects.Contains(s.Value.Object, StringComparer.OrdinalIgnoreCase)).ToList();
            if (!string.IsNullOrEmpty(o.Channel))
            {
                return [new StreamedChannel(o.Channel, sources.Select(s => s.Key).ToHashSet(StringComparer.Ordinal))];
            }

            return [.. sources.GroupBy(s => s.Value.Object, StringComparer.OrdinalIgnoreCase)
                .Select(g => new StreamedChannel("/data/" + EventName(g.Key), g.Select(s => s.Key).ToHashSet(StringComparer.Ordinal)))];
        }
    }

    /// <summary>The standard channel's event name for an object: <c>OrderChangeEvent</c>, <c>Connector_Usage__ChangeEvent</c>.</summary>
    public static string EventName(string objectName) =>
        objectName.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? objectName[..^1] + "ChangeEvent" : objectName + "ChangeEvent";

    public void SetLive(StreamedChannel channel, bool live)
    {
        foreach (var source in channel.Sources)
        {
            _live[source] = live;
        }
    }

    /// <summary>Sources whose stream is subscribed now (they are polled only to reconcile).</summary>
    public IReadOnlySet<string> LiveSources => _live.Where(p => p.Value).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
}
