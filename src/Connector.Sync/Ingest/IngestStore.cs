using System.Data.Common;
using Connector.Invoicing.Storage;
using Connector.Storage;
using Connector.Sync.Quarantine;
using Dapper;

namespace Connector.Sync.Ingest;

/// <summary>
/// Raw record versions and watermarks; a page's commit also stores what it mapped to (through <see cref="OrderStore"/>)
/// and what it quarantined (through <see cref="QuarantineStore"/>), in one transaction.
/// </summary>
internal sealed class IngestStore(ConnectorDatabase database, TimeProvider timeProvider, OrderStore orders, QuarantineStore quarantine, ChangeEvents.ChannelStore channels)
{
    private const int InListChunk = 500;
    private readonly IngestSql _sql = IngestSql.For(database.Provider);

    public async Task<DateTimeOffset?> GetWatermarkAsync(string objectName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.QuerySingleOrDefaultAsync<string?>(database.Command(_sql.SelectWatermark, new { ObjectName = objectName }, cancellationToken));
        return text is null ? null : DbText.ParseInstant(text);
    }

    /// <summary>The versions not stored yet: an overlapping poll returns versions already seen, which are skipped.</summary>
    public async Task<IReadOnlyList<SourceRecordVersion>> WithoutKnownVersionsAsync(IReadOnlyList<SourceRecordVersion> versions, CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var known = new HashSet<(string, string, string)>();
        foreach (var group in versions.GroupBy(v => v.ObjectName, StringComparer.Ordinal))
        {
            foreach (var chunk in group.Select(v => v.RecordId).Distinct(StringComparer.Ordinal).Chunk(InListChunk))
            {
                var rows = await connection.QueryAsync<(string RecordId, string SystemModstamp)>(
                    database.Command(_sql.SelectExistingVersions, new { ObjectName = group.Key, RecordIds = chunk }, cancellationToken));
                known.UnionWith(rows.Select(r => (group.Key, r.RecordId, r.SystemModstamp)));
            }
        }

        return [.. versions.Where(v => !known.Contains((v.ObjectName, v.RecordId, DbText.Instant(v.SystemModstamp))))];
    }

    public async Task CommitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var now = DbText.Instant(timeProvider.GetUtcNow());
        var sql = _sql;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        foreach (var record in batch.Records)
        {
            await connection.ExecuteAsync(database.Command(sql.InsertSourceRecordIfNew, new
            {
                record.ObjectName,
                record.RecordId,
                SystemModstamp = DbText.Instant(record.SystemModstamp),
                record.Payload,
                IngestedAt = now,
            }, transaction, cancellationToken));
        }

        var refused = await orders.SaveAsync(batch.Changes, transaction, cancellationToken);
        batch.Quarantined.AddRange(refused.Select(r => new QuarantineEntry(batch.ObjectName, r.Usage.SourceRecordId ?? r.Usage.Record.Id,
            $"{batch.ObjectName} {r.Usage.SourceRecordId ?? r.Usage.Record.Id}: {r.Reason}", batch.Records.FirstOrDefault(v => v.RecordId == r.Usage.SourceRecordId)?.Payload ?? "{}")));
        foreach (var deletion in batch.Deletions)
        {
            await DeleteAsync(connection, transaction, batch.ObjectName, deletion, now, cancellationToken);
        }

        await quarantine.ResolveAsync(batch.ObjectName, batch.MappedRecordIds, transaction, cancellationToken);
        await quarantine.AddAsync(batch.Quarantined, transaction, cancellationToken);

        if (batch.HighWaterMark is { } mark)
        {
            await connection.ExecuteAsync(database.Command(sql.UpsertWatermark, new
            {
                batch.ObjectName, HighWaterMark = DbText.Instant(mark), UpdatedAt = now,
            }, transaction, cancellationToken));
        }

        if (batch.Position is { } position)
        {
            await channels.SavePositionAsync(connection, transaction, position, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Applies one deletion from the org to a record stored here: its deletion is stored as the record's newest version
    /// (<c>{"Id":…,"IsDeleted":true}</c>), billing that depended on it is held (or the payment reversed), and a
    /// quarantine row says what happened and what to do. A record never stored, or already stored as deleted, is left alone,
    /// so seeing a deletion twice (queryAll, then getDeleted) changes nothing.
    /// </summary>
    private async Task DeleteAsync(DbConnection connection, DbTransaction transaction, string objectName, RecordDeletion deletion,
        string now, CancellationToken cancellationToken)
    {
        var sql = _sql;
        var versions = (await connection.QueryAsync<(string SystemModstamp, string Payload)>(database.Command(sql.SelectRecordVersions,
            new { ObjectName = objectName, deletion.RecordId }, transaction, cancellationToken))).ToList();
        if (versions.Count == 0 || IsDeletion(versions.MaxBy(v => DbText.ParseInstant(v.SystemModstamp)).Payload))
        {
            return;
        }

        var payload = new System.Text.Json.Nodes.JsonObject { ["Id"] = deletion.RecordId, ["IsDeleted"] = true }.ToJsonString();
        await connection.ExecuteAsync(database.Command(sql.InsertSourceRecordIfNew, new
        {
            ObjectName = objectName, deletion.RecordId, SystemModstamp = DbText.Instant(deletion.DeletedAt), Payload = payload, IngestedAt = now,
        }, transaction, cancellationToken));
        var effect = deletion.Effect switch
        {
            DeletionEffect.HoldLine => "its billing is held; invoices already posted stand",
            DeletionEffect.HoldOrder => "the billing of its lines is held; invoices already posted stand",
            DeletionEffect.ReversePayment => "the next invoice run reverses the payment",
            _ => "nothing billed depends on it alone",
        };
        await (deletion.Effect switch
        {
            DeletionEffect.HoldLine => orders.HoldLineAsync(deletion.RecordId, transaction, cancellationToken),
            DeletionEffect.HoldOrder => orders.HoldOrderAsync(deletion.RecordId, transaction, cancellationToken),
            DeletionEffect.ReversePayment => orders.ReversePaymentAsync(deletion.RecordId, transaction, cancellationToken),
            _ => Task.CompletedTask,
        });

        var when = deletion.DeletedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        await quarantine.AddAsync(
            [new QuarantineEntry(objectName, deletion.RecordId, $"{objectName} {deletion.RecordId} was deleted in Salesforce at {when}: {effect}. Restore it from the Recycle Bin to undo this, or discard this row once settled (credit what was billed if the deletion means it).", payload)],
            transaction, cancellationToken);
    }

    /// <summary>Whether a stored payload is a deletion (see <see cref="DeleteAsync"/>).</summary>
    public static bool IsDeletion(string payload) =>
        System.Text.Json.Nodes.JsonNode.Parse(payload)?["IsDeleted"] is System.Text.Json.Nodes.JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True;

}
