using System.Text.Json.Nodes;
using Connector.Invoicing.Quarantine;
using Connector.Invoicing.Storage;
using Connector.Mapping.Profile;
using Connector.Mapping.Transform;
using Connector.Salesforce;
using Connector.Salesforce.Api;
using Microsoft.Extensions.Options;

namespace Connector.Worker.Sync;

/// <summary>
/// Polls each source for records changed since its watermark (minus an overlap), skips versions already stored
/// (by Id and SystemModstamp), maps the new ones and commits each page in one transaction with its watermark.
/// A record the mapping cannot use goes to quarantine with the reason; the rest of the page goes through.
/// </summary>
public sealed class IngestStep(SalesforceClient salesforce, IngestStore store, RecordMapper mapper, IOptions<SyncOptions> options, ProgressReporter progress, BudgetGate budget)
{
    public async Task RunAsync(CycleReport report, CancellationToken cancellationToken)
    {
        foreach (var source in Catalog.ReadOrder.Where(mapper.Profile.Sources.ContainsKey))
        {
            if (await budget.PauseReasonAsync(cancellationToken) is { } reason)
            {
                report.Paused = reason;
                return;
            }

            var query = mapper.QueryFor(source);
            var watermark = await store.GetWatermarkAsync(query.ObjectName, cancellationToken);
            var soql = Soql(query, watermark - options.Value.WatermarkOverlap);
            var stage = $"Reading {query.ObjectName}";
            var seen = 0L;
            await foreach (var page in salesforce.QueryPagesAsync(soql, cancellationToken))
            {
                seen += page.Count;
                progress.Report(stage, seen);
                var batch = await MapPageAsync(source, query.ObjectName, page, watermark, cancellationToken);
                await store.CommitAsync(batch, cancellationToken);
                report.RecordsRead[query.ObjectName] = report.Read(query.ObjectName) + batch.Records.Count;
                report.Quarantined.AddRange(batch.Quarantined);
                watermark = batch.HighWaterMark ?? watermark;
                if (await budget.PauseReasonAsync(cancellationToken) is { } midway)
                {
                    // The page is committed with its watermark; the rest is read when the budget allows.
                    report.Paused = midway;
                    progress.Complete(stage, seen);
                    return;
                }
            }

            progress.Complete(stage, seen);
        }
    }

    internal static string Soql(SourceQuery query, DateTimeOffset? since)
    {
        var conditions = new List<string>();
        if (query.Where is { } where)
        {
            conditions.Add($"({where})");
        }

        if (since is { } mark)
        {
            conditions.Add($"SystemModstamp > {Salesforce.Api.Soql.DateTime(mark)}");
        }

        var fields = string.Join(", ", query.Fields.Select(Salesforce.Api.Soql.Name));
        var filter = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return $"SELECT {fields} FROM {Salesforce.Api.Soql.Name(query.ObjectName)}{filter} ORDER BY SystemModstamp, Id";
    }

    private async Task<IngestBatch> MapPageAsync(string source, string objectName, IReadOnlyList<JsonObject> page, DateTimeOffset? watermark, CancellationToken cancellationToken)
    {
        var batch = new IngestBatch { ObjectName = objectName };
        var versions = new List<(SourceRecordVersion Version, JsonObject Record)>();
        foreach (var record in page)
        {
            var id = record["Id"]?.GetValue<string>();
            var stamp = record["SystemModstamp"]?.GetValue<string>();
            if (id is null || stamp is null)
            {
                throw new SalesforceApiException(System.Net.HttpStatusCode.OK, "MALFORMED_RESPONSE", $"A {objectName} record came back without Id or SystemModstamp.");
            }

            versions.Add((new SourceRecordVersion(objectName, id, SalesforceDates.ParseDateTime(stamp), record.ToJsonString()), record));
        }

        var fresh = (await store.WithoutKnownVersionsAsync([.. versions.Select(v => v.Version)], cancellationToken)).ToHashSet();
        foreach (var (version, record) in versions.Where(v => fresh.Contains(v.Version)))
        {
            batch.Records.Add(version);
            var problem = mapper.MapInto(source, record, batch);
            if (problem is null)
            {
                batch.MappedRecordIds.Add(version.RecordId);
            }
            else
            {
                batch.Quarantined.Add(new QuarantineEntry(objectName, version.RecordId, $"{objectName} {version.RecordId}: {problem}", version.Payload));
            }
        }

        var newest = versions.Count == 0 ? (DateTimeOffset?)null : versions.Max(v => v.Version.SystemModstamp);
        batch.HighWaterMark = newest is { } n && (watermark is null || n > watermark) ? n : watermark;
        return batch;
    }
}
