using Connector.Mapping.Profile;
using Connector.Mapping.Transform;
using Connector.Salesforce;
using Connector.Salesforce.PubSub;
using Connector.Sync.Cycles;
using Connector.Sync.Ingest;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

/// <summary>
/// Turns a batch of change events into the same ingest batches a poll makes. An event is a pointer, never the data: the
/// records it names are read again by id (one query per source and 200 ids, through queryAll and the source's own
/// filter), so a gap event, a partial update and a full one are all handled alike and the mapping sees exactly what a
/// poll would. An order's change also reads its order products (their mapped values follow the order's). The
/// connector's own writes are skipped by their change origin, and by content where the origin does not name it (a
/// change of only the fields the connector writes back). The channel's replay id is committed with the last batch, so
/// a crash before it replays the events, and a replay changes nothing (versions already stored are skipped).
/// </summary>
internal sealed class ChangeEventApplier(SalesforceClient salesforce, IngestStep ingest, IngestStore store, RecordMapper mapper, IOptions<SalesforceOptions> salesforceOptions)
{
    private const int IdsPerQuery = 200;

    /// <summary>Fields every change touches whoever makes it: a change of these and written-back fields only is the connector's own.</summary>
    private static readonly string[] AlwaysChanged = ["LastModifiedDate", "LastModifiedById", "SystemModstamp"];

    /// <summary>Applies one fetched batch (a keepalive just moves the position): the sources to read whole (overflow), and the events skipped as the connector's own.</summary>
    public async Task<(IReadOnlySet<string> Overflow, int Own)> ApplyAsync(string channel, FetchedBatch fetched, CycleReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        ArgumentNullException.ThrowIfNull(report);
        var client = salesforceOptions.Value.CallOptionsClient;
        var overflow = new HashSet<string>(StringComparer.Ordinal);
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var deleted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var changedOrders = new HashSet<string>(StringComparer.Ordinal);
        var own = 0;
        foreach (var change in fetched.Events)
        {
            var sources = SourcesOf(change.EntityName);
            if (sources.Count == 0)
            {
                continue;
            }

            if (change.MadeBy(client) || OnlyWrittenBack(change))
            {
                own++;
                continue;
            }

            if (change.IsOverflow)
            {
                overflow.UnionWith(sources);
                continue;
            }

            foreach (var source in sources)
            {
                ids.TryAdd(source, new HashSet<string>(StringComparer.Ordinal));
                ids[source].UnionWith(change.RecordIds);
                if (source == Catalog.Order)
                {
                    changedOrders.UnionWith(change.RecordIds);
                }
            }

            if (change.IsDelete)
            {
                foreach (var id in change.RecordIds)
                {
                    deleted[id] = change.CommitTimestamp;
                }
            }
        }

        var batches = new List<IngestBatch>();
        foreach (var source in Catalog.ReadOrder.Where(mapper.Profile.Sources.ContainsKey))
        {
            var byId = ids.GetValueOrDefault(source) ?? [];
            var byOrder = source == Catalog.OrderItem && OrderField() is { } orderField ? (orderField, changedOrders) : default;
            if (byId.Count == 0 && (byOrder.changedOrders is null || byOrder.changedOrders.Count == 0))
            {
                continue;
            }

            var query = mapper.QueryFor(source);
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (field, values) in new[] { ("Id", byId), (byOrder.orderField ?? "", byOrder.changedOrders ?? []) }.Where(c => c.Item2.Count > 0))
            {
                foreach (var chunk in values.Order(StringComparer.Ordinal).Chunk(IdsPerQuery))
                {
                    var filter = $"{Salesforce.Api.Soql.Name(field)} IN ({string.Join(", ", chunk.Select(Salesforce.Api.Soql.Id))})";
                    var scoped = query with { Where = query.Where is { } where ? $"({where}) AND {filter}" : filter };
                    await foreach (var page in salesforce.QueryPagesAsync(IngestStep.Soql(scoped, since: null, includeDeleted: true), includeDeleted: true, cancellationToken))
                    {
                        found.UnionWith(page.Select(r => r["Id"]?.GetValue<string>() ?? ""));
                        var batch = await ingest.MapPageAsync(source, query.ObjectName, page, watermark: null, cancellationToken);
                        batch.HighWaterMark = null; // the watermark belongs to polls: only a poll knows nothing before it was missed
                        batches.Add(batch);
                    }
                }
            }

            // Deleted for good (or the Recycle Bin emptied) before the read: the event is all there is.
            var gone = byId.Where(id => deleted.ContainsKey(id) && !found.Contains(id)).ToList();
            if (gone.Count > 0)
            {
                var batch = new IngestBatch { ObjectName = query.ObjectName };
                batch.Deletions.AddRange(gone.Select(id => new RecordDeletion(id, deleted[id], IngestStep.EffectOf(source))));
                batches.Add(batch);
            }
        }

        if (batches.Count == 0)
        {
            batches.Add(new IngestBatch { ObjectName = channel });
        }

        var position = new ChannelPosition(channel, fetched.Events.Count > 0 ? fetched.Events[^1].ReplayId : fetched.LatestReplayId,
            fetched.Events.Count, own, fetched.Events.Count > 0 ? fetched.Events.Max(e => e.CommitTimestamp) : null);
        if (position.ReplayId.IsEmpty)
        {
            position = position with { ReplayId = fetched.LatestReplayId };
        }

        batches[^1].Position = position.ReplayId.IsEmpty ? null : position;
        foreach (var batch in batches)
        {
            await store.CommitAsync(batch, cancellationToken);
            batch.ReportTo(report);
        }

        return (overflow, own);
    }

    /// <summary>The mapped sources reading this object.</summary>
    public IReadOnlyList<string> SourcesOf(string objectName) =>
        [.. mapper.Profile.Sources.Where(s => s.Value.Object.Equals(objectName, StringComparison.OrdinalIgnoreCase)).Select(s => s.Key)];

    /// <summary>The order product field naming its order (the orderItem source's orderId input), when it is a plain field.</summary>
    private string? OrderField() =>
        mapper.Profile.Sources.TryGetValue(Catalog.OrderItem, out var items) && items.Fields.TryGetValue("orderId", out var spec)
            && spec.Paths is [var field] && !field.Contains('.', StringComparison.Ordinal) ? field : null;

    /// <summary>An update of nothing but fields the connector writes back to this object (its own write, whatever the origin says).</summary>
    private bool OnlyWrittenBack(ChangeEvent change)
    {
        if (change.ChangeType != "UPDATE" || change.ChangedFields.Count == 0)
        {
            return false;
        }

        var written = mapper.Profile.WriteBack.Values.Where(t => t.Object.Equals(change.EntityName, StringComparison.OrdinalIgnoreCase))
            .SelectMany(t => t.Fields.Keys).Concat(AlwaysChanged).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var billNow = change.EntityName.Equals(mapper.Profile.Order.Object, StringComparison.OrdinalIgnoreCase)
            && mapper.Profile.Order.Fields.TryGetValue("billNow", out var spec) ? spec.Paths : [];
        written.ExceptWith(billNow); // ticking Bill Now is a user's change, never skipped
        return change.ChangedFields.All(written.Contains);
    }
}
