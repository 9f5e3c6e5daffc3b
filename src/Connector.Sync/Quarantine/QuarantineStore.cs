using System.Data.Common;
using Connector.Invoicing.Storage;
using Connector.Storage;
using Connector.Sync.Ingest;
using Dapper;

namespace Connector.Sync.Quarantine;

/// <summary>
/// Records a person must look at, each with a reason to act on: opened once per record while open, resolved when the
/// record maps again, discarded by hand.
/// </summary>
internal sealed class QuarantineStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    /// <summary>The longest reason stored; a longer one is cut visibly.</summary>
    public const int ReasonLength = 400;

    private readonly QuarantineSql _sql = QuarantineSql.For(database.Provider);
    private readonly IngestSql _ingest = IngestSql.For(database.Provider);

    public async Task<IReadOnlyList<QuarantinedRecord>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Records(await connection.QueryAsync<QuarantineRow>(database.Command(_sql.SelectOpenQuarantine, null, cancellationToken)));
    }

    public async Task<IReadOnlyList<QuarantinedRecord>> ByIdsAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Records(await connection.QueryAsync<QuarantineRow>(database.Command(_sql.SelectQuarantineByIds, new { Ids = ids }, cancellationToken)));
    }

    /// <summary>Closes open rows without using their records; returns how many were open.</summary>
    public async Task<int> DiscardAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(database.Command(_sql.DiscardQuarantine, new { Ids = ids }, cancellationToken));
    }

    /// <summary>Opens a row per entry (none when one is already open for the record), in the caller's transaction.</summary>
    public async Task AddAsync(IEnumerable<QuarantineEntry> entries, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(transaction);
        var now = DbText.Instant(timeProvider.GetUtcNow());
        foreach (var entry in entries)
        {
            await transaction.Connection!.ExecuteAsync(database.Command(_sql.InsertQuarantineIfNew, new
            {
                entry.ObjectName, entry.RecordId, Reason = Cut(entry.Reason), entry.Payload, CreatedAt = now,
            }, transaction, cancellationToken));
        }
    }

    /// <summary>Resolves the open rows of records that mapped cleanly this time, in the caller's transaction.</summary>
    public async Task ResolveAsync(string objectName, IEnumerable<string> recordIds, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordIds);
        ArgumentNullException.ThrowIfNull(transaction);
        foreach (var recordId in recordIds)
        {
            await transaction.Connection!.ExecuteAsync(database.Command(_sql.ResolveQuarantine, new { ObjectName = objectName, RecordId = recordId }, transaction, cancellationToken));
        }
    }

    /// <summary>
    /// Quarantines what billing set aside under the record it came from: the newest stored version of the record (so
    /// <c>quarantine retry</c> maps it again), or what billing said of it when the org never sent it.
    /// </summary>
    public async Task SetAsideAsync(IReadOnlyList<SetAside> items, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(transaction);
        var entries = new List<QuarantineEntry>();
        foreach (var item in items)
        {
            if (item.Payload is { } payload)
            {
                entries.Add(new QuarantineEntry(item.Source ?? Unknown, item.RecordId, item.Reason, payload));
                continue;
            }

            var versions = await transaction.Connection!.QueryAsync<(string ObjectName, string SystemModstamp, string Payload)>(
                database.Command(_ingest.SelectSourceRecordById, new { item.RecordId }, transaction, cancellationToken));
            var newest = versions.OrderByDescending(v => v.SystemModstamp, StringComparer.Ordinal).FirstOrDefault();
            entries.Add(new QuarantineEntry(newest.ObjectName ?? item.Source ?? Unknown, item.RecordId, item.Reason, newest.Payload ?? "{}"));
        }

        await AddAsync(entries, transaction, cancellationToken);
    }

    /// <summary>What a row says of a record whose object is not known (billing set aside a record the org never sent).</summary>
    private const string Unknown = "OrderItem";

    /// <summary>Cuts a reason to the column's length, visibly.</summary>
    internal static string Cut(string text) => text.Length <= ReasonLength ? text : text[..(ReasonLength - 1)] + "…";

    private static List<QuarantinedRecord> Records(IEnumerable<QuarantineRow> rows) =>
        [.. rows.Select(r => new QuarantinedRecord(r.Id, r.ObjectName, r.RecordId, r.Reason, r.Payload, DbText.ParseInstant(r.CreatedAt)))];

    private sealed class QuarantineRow
    {
        public long Id { get; init; }
        public string ObjectName { get; init; } = "";
        public string RecordId { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Payload { get; init; } = "";
        public string CreatedAt { get; init; } = "";
    }
}
