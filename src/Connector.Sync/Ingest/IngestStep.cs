using System.Text.Json.Nodes;
using Connector.Mapping.Profile;
using Connector.Mapping.Transform;
using Connector.Salesforce.Api;
using Connector.Salesforce;
using Connector.Sync.Cycles;
using Connector.Sync.Quarantine;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Ingest;

/// <summary>
/// Polls each source for records changed since its watermark (minus an overlap), skips versions already stored
/// (by Id and SystemModstamp), maps the new ones and commits each page in one transaction with its watermark.
/// A record the mapping cannot use goes to quarantine with the reason; the rest of the page goes through.
/// Incremental polls are queryAll, so records deleted to the Recycle Bin arrive with IsDeleted true; records deleted for
/// good are asked for with getDeleted every <see cref="IngestOptions.DeletedCheckInterval"/>. Either way a deletion holds
/// what depended on it (see <see cref="RecordDeletion"/>).
/// </summary>
internal sealed class IngestStep(
    SalesforceClient salesforce,
    IngestStore store,
    RecordMapper mapper,
    IOptions<IngestOptions> options,
    IOptions<SalesforceOptions> salesforceOptions,
    ProgressReporter progress,
    BudgetGate budget,
    TimeProvider timeProvider)
{
    public Task RunAsync(CycleReport report, CancellationToken cancellationToken) => RunAsync(report, sources: null, cancellationToken);

    /// <summary>Polls <paramref name="sources"/> (null: every mapped source), in read order.</summary>
    public async Task RunAsync(CycleReport report, IReadOnlySet<string>? sources, CancellationToken cancellationToken)
    {
        foreach (var source in Catalog.ReadOrder.Where(s => mapper.Profile.Sources.ContainsKey(s) && (sources is null || sources.Contains(s))))
        {
            if (await budget.PauseReasonAsync(cancellationToken) is { } reason)
            {
                report.Paused = reason;
                return;
            }

            var query = mapper.QueryFor(source);
            var watermark = await store.GetWatermarkAsync(query.ObjectName, cancellationToken);
            var stage = $"Reading {query.ObjectName}";
            var seen = 0L;

            // A first backfill larger than the threshold is read as one Bulk API 2.0 query job (a few calls, unordered
            // pages): its watermark is committed only once every page is stored, so a stop midway reads it all again.
            var threshold = salesforceOptions.Value.BulkQueryThreshold;
            var bulk = watermark is null && threshold > 0 && await salesforce.CountAsync(CountSoql(query), cancellationToken) > threshold;
            if (watermark is null && threshold > 0 && await budget.PauseReasonAsync(cancellationToken) is { } afterCount)
            {
                report.Paused = afterCount; // the count told the usage: at or above the budget, nothing more starts
                return;
            }

            var readStarted = timeProvider.GetUtcNow();
            // A first read takes live records only; later polls use queryAll, so deletions come with the changes.
            var incremental = watermark is not null;
            var pages = bulk
                ? salesforce.BulkQueryPagesAsync(Soql(query, null, ordered: false), cancellationToken)
                : salesforce.QueryPagesAsync(Soql(query, watermark - options.Value.WatermarkOverlap, includeDeleted: incremental), includeDeleted: incremental, cancellationToken);
            DateTimeOffset? bulkMark = null;
            await foreach (var page in pages)
            {
                seen += page.Count;
                progress.Report(stage, seen);
                var batch = await MapPageAsync(source, query.ObjectName, page, watermark, cancellationToken);
                if (bulk)
                {
                    bulkMark = Later(bulkMark, batch.HighWaterMark);
                    batch.HighWaterMark = watermark;
                }

                await store.CommitAsync(batch, cancellationToken);
                batch.ReportTo(report);
                watermark = batch.HighWaterMark ?? watermark;
                if (await budget.PauseReasonAsync(cancellationToken) is { } midway)
                {
                    // The page is committed with its watermark; the rest is read when the budget allows.
                    report.Paused = midway;
                    progress.Complete(stage, seen);
                    return;
                }
            }

            if (bulk && bulkMark is not null)
            {
                await store.CommitAsync(new IngestBatch { ObjectName = query.ObjectName, HighWaterMark = bulkMark }, cancellationToken);
            }
            else if (watermark is null && seen == 0)
            {
                // Nothing there yet: remember when the full read began, so the next poll is incremental (the overlap
                // covers a clock skew with the org) rather than another first backfill.
                await store.CommitAsync(new IngestBatch { ObjectName = query.ObjectName, HighWaterMark = readStarted }, cancellationToken);
            }

            progress.Complete(stage, seen);
            if (!await HardDeletionsAsync(source, query.ObjectName, readStarted, report, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Every <see cref="IngestOptions.DeletedCheckInterval"/>, asks the org which records of the source were deleted for
    /// good since the last check (getDeleted). The first check only starts the clock: records read afterwards are all live.
    /// </summary>
    /// <returns>False when the budget paused the cycle.</returns>
    private async Task<bool> HardDeletionsAsync(string source, string objectName, DateTimeOffset now, CycleReport report, CancellationToken cancellationToken)
    {
        var key = objectName + DeletedCheckSuffix;
        var checkedUntil = await store.GetWatermarkAsync(key, cancellationToken);
        if (checkedUntil is { } last && now - last < options.Value.DeletedCheckInterval)
        {
            return true;
        }

        if (checkedUntil is null)
        {
            await store.CommitAsync(new IngestBatch { ObjectName = key, HighWaterMark = now }, cancellationToken);
            return true;
        }

        if (await budget.PauseReasonAsync(cancellationToken) is { } reason)
        {
            report.Paused = reason;
            return false;
        }

        // The org keeps 15 days of deletions; a connector stopped longer than that cannot know what it missed.
        var start = checkedUntil.Value - options.Value.WatermarkOverlap;
        var oldest = now - OrgKeepsDeletions;
        if (start < oldest)
        {
            report.Warnings.Add($"{objectName}: deletions between {start:u} and {oldest:u} can no longer be asked for (the org keeps 15 days); check records deleted then by hand.");
            start = oldest;
        }

        DeletedRecords deleted;
        try
        {
            deleted = await salesforce.GetDeletedAsync(objectName, start, now, cancellationToken);
        }
        catch (SalesforceApiException ex) when (!ex.IsTransient && ex.ErrorCode != "MALFORMED_RESPONSE")
        {
            // An object the org does not replicate, say: the poll goes on, and the check is tried again next interval.
            report.Warnings.Add($"{objectName}: the org refused getDeleted ({ex.ErrorCode}: {ex.Message}); records deleted for good between {start:u} and {now:u} are not seen.");
            await store.CommitAsync(new IngestBatch { ObjectName = key, HighWaterMark = now }, cancellationToken);
            return true;
        }

        var batch = new IngestBatch { ObjectName = objectName };
        batch.Deletions.AddRange(deleted.Records.Select(d => new RecordDeletion(d.Id, d.DeletedAt, EffectOf(source))));
        await store.CommitAsync(batch, cancellationToken);
        await store.CommitAsync(new IngestBatch { ObjectName = key, HighWaterMark = deleted.LatestDateCovered }, cancellationToken);
        report.RecordsDeleted[objectName] = report.RecordsDeleted.GetValueOrDefault(objectName) + deleted.Records.Count;
        return true;
    }

    /// <summary>The watermark of a source's getDeleted checks is kept under its object name with this suffix.</summary>
    internal const string DeletedCheckSuffix = "#deleted";

    /// <summary>How far back getDeleted answers (less a margin for the clocks).</summary>
    private static readonly TimeSpan OrgKeepsDeletions = TimeSpan.FromDays(15) - TimeSpan.FromMinutes(5);

    internal static DeletionEffect EffectOf(string source) => source switch
    {
        Catalog.OrderItem => DeletionEffect.HoldLine,
        Catalog.Order => DeletionEffect.HoldOrder,
        Catalog.Payment => DeletionEffect.ReversePayment,
        _ => DeletionEffect.None,
    };

    internal static string CountSoql(SourceQuery query) =>
        $"SELECT COUNT() FROM {Salesforce.Api.Soql.Name(query.ObjectName)}" + (query.Where is { } where ? $" WHERE ({where})" : "");

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    /// <param name="query">What to read.</param>
    /// <param name="since">Only records changed after it; null reads all.</param>
    /// <param name="ordered">ORDER BY SystemModstamp, Id (REST pages); Bulk API 2.0 jobs run faster without it.</param>
    /// <param name="includeDeleted">Select IsDeleted too (for queryAll).</param>
    internal static string Soql(SourceQuery query, DateTimeOffset? since, bool ordered = true, bool includeDeleted = false)
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

        var selected = includeDeleted && !query.Fields.Contains("IsDeleted", StringComparer.OrdinalIgnoreCase) ? [.. query.Fields, "IsDeleted"] : query.Fields;
        var fields = string.Join(", ", selected.Select(Salesforce.Api.Soql.Name));
        var filter = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return $"SELECT {fields} FROM {Salesforce.Api.Soql.Name(query.ObjectName)}{filter}" + (ordered ? " ORDER BY SystemModstamp, Id" : "");
    }

    /// <summary>
    /// Maps one page of a source's records into a batch (not committed): versions already stored are skipped, deletions
    /// noted, bad records quarantined; the batch's watermark is the newest SystemModstamp seen (or <paramref name="watermark"/>).
    /// </summary>
    internal async Task<IngestBatch> MapPageAsync(string source, string objectName, IReadOnlyList<JsonObject> page, DateTimeOffset? watermark, CancellationToken cancellationToken)
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
            if (record["IsDeleted"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                batch.Deletions.Add(new RecordDeletion(version.RecordId, version.SystemModstamp, EffectOf(source)));
                continue;
            }

            batch.Records.Add(version);
            if (source == Catalog.Order && mapper.BillNow(record) is (true, { } field))
            {
                batch.BillNow[version.RecordId] = field;
            }

            var problem = mapper.MapInto(source, record, batch.Changes);
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
