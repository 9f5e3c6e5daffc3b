using System.Text.Json.Nodes;
using System.Text.Json;
using Connector.Mapping.Transform;
using Connector.Sync.Ingest;

namespace Connector.Sync.Quarantine;

/// <summary>
/// Retries quarantined records with the current mapping (after an admin fixed a value map, say): each stored payload is
/// mapped again; what now maps is stored and its quarantine row resolved, what still fails keeps a row with the new reason.
/// </summary>
internal sealed class QuarantineService(IngestStore ingest, QuarantineStore quarantine, RecordMapper mapper)
{
    public async Task<QuarantineRetryResult> RetryAsync(IReadOnlyList<long>? ids, CancellationToken cancellationToken)
    {
        var rows = ids is null ? await quarantine.OpenAsync(cancellationToken) : await quarantine.ByIdsAsync(ids, cancellationToken);
        var resolved = new List<QuarantinedRecord>();
        var failing = new List<QuarantineEntry>();
        foreach (var group in rows.GroupBy(r => r.ObjectName, StringComparer.Ordinal))
        {
            var source = mapper.Profile.Sources.Values.FirstOrDefault(s => s.Object.Equals(group.Key, StringComparison.OrdinalIgnoreCase));
            var batch = new IngestBatch { ObjectName = group.Key };
            foreach (var row in group)
            {
                var problem = source is null ? $"the mapping no longer reads {group.Key}" : Map(source.Name, row, batch);
                batch.MappedRecordIds.Add(row.RecordId); // closes the old row; a failure below opens one with today's reason
                if (problem is null)
                {
                    resolved.Add(row);
                }
                else
                {
                    var entry = new QuarantineEntry(row.ObjectName, row.RecordId, $"{row.ObjectName} {row.RecordId}: {problem}", row.Payload);
                    batch.Quarantined.Add(entry);
                    failing.Add(entry);
                }
            }

            await ingest.CommitAsync(batch, cancellationToken);
        }

        return new QuarantineRetryResult(resolved, failing);
    }

    private string? Map(string sourceName, QuarantinedRecord row, IngestBatch batch)
    {
        JsonObject record;
        try
        {
            record = JsonNode.Parse(row.Payload)?.AsObject() ?? throw new JsonException("empty payload");
        }
        catch (JsonException ex)
        {
            return "the stored payload is not a JSON object: " + ex.Message;
        }

        if (IngestStore.IsDeletion(row.Payload))
        {
            return "it is deleted in Salesforce; restore it from the Recycle Bin (the next poll reads it again) or discard this row";
        }

        return mapper.MapInto(sourceName, record, batch.Changes);
    }
}
