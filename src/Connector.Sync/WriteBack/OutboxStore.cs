using Connector.Storage;
using Dapper;

namespace Connector.Sync.WriteBack;

/// <summary>The write-back queue and the ids the remote system gave our entities.</summary>
internal sealed class OutboxStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private readonly OutboxSql _sql = OutboxSql.For(database.Provider);

    public async Task<IReadOnlyList<OutboxMessage>> PendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return
        [
            .. (await connection.QueryAsync<OutboxRow>(database.Command(_sql.SelectPendingOutbox, new
            {
                Now = DbText.Instant(timeProvider.GetUtcNow()), Limit = limit,
            }, cancellationToken))).Select(r => new OutboxMessage(r.Id, r.Topic, r.EntityKey, r.Payload, r.Attempts) { Failures = r.Failures }),
        ];
    }

    /// <summary>
    /// Counts an attempt before anything is sent, so that after a crash mid-send the next attempt knows the effect may
    /// already have landed (files are then looked up before uploading again).
    /// </summary>
    public async Task StartAttemptAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(500))
        {
            await connection.ExecuteAsync(database.Command(_sql.StartOutboxAttempt, new { Ids = chunk }, cancellationToken));
        }
    }

    /// <summary>Marks many rows done in a few statements (a whole collections call's worth).</summary>
    public async Task CompleteManyAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = DbText.Instant(timeProvider.GetUtcNow());
        foreach (var chunk in ids.Chunk(500))
        {
            await connection.ExecuteAsync(database.Command(_sql.CompleteOutboxMany, new { Ids = chunk, CompletedAt = now }, cancellationToken));
        }
    }

    /// <summary>
    /// Settles what one write landed, in one transaction: the org's ids of the entities it created, the rows marked
    /// done, and the follow-up facts it calls for queued (a PDF's link for its invoice record). A process stopped at any
    /// moment leaves either all of it or none, so a follow-up is never lost after its row was marked done.
    /// </summary>
    public async Task SettleAsync(OutboxSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.Done.Count == 0 && settlement.RemoteIds.Count == 0 && settlement.FollowUps.Count == 0)
        {
            return;
        }

        var sql = _sql;
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (entityKey, remoteId) in settlement.RemoteIds)
        {
            await connection.ExecuteAsync(database.Command(sql.UpsertRemoteRecord, new
            {
                ObjectName = settlement.RemoteObject, EntityKey = entityKey, RemoteId = remoteId, UpdatedAt = now,
            }, transaction, cancellationToken));
        }

        foreach (var chunk in settlement.Done.Chunk(500))
        {
            await connection.ExecuteAsync(database.Command(sql.CompleteOutboxMany, new { Ids = chunk, CompletedAt = now }, transaction, cancellationToken));
        }

        foreach (var (topic, entityKey, payload) in settlement.FollowUps)
        {
            await connection.ExecuteAsync(database.Command(sql.InsertOutbox, new { Topic = topic, EntityKey = entityKey, Payload = payload, CreatedAt = now }, transaction, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The org's ids of the given entities that have one.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FindRemoteIdsAsync(string objectName, IEnumerable<string> entityKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in entityKeys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            foreach (var row in await connection.QueryAsync<RemoteRow>(database.Command(_sql.SelectRemoteIds, new { ObjectName = objectName, EntityKeys = chunk }, cancellationToken)))
            {
                found[row.EntityKey] = row.RemoteId;
            }
        }

        return found;
    }

    /// <summary>Records a failed attempt: retried after <paramref name="delay"/>, or parked as Failed when <paramref name="permanent"/>.</summary>
    public async Task FailAsync(long id, string error, TimeSpan delay, bool permanent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(database.Command(_sql.RetryOutboxLater, new
        {
            Id = id,
            Status = permanent ? "Failed" : "Pending",
            LastError = error.Length <= 2000 ? error : error[..2000],
            NextAttemptAt = DbText.Instant(timeProvider.GetUtcNow() + delay),
        }, cancellationToken));
    }

    /// <summary>Rows waiting for a retry after a transient failure (none: <see cref="OutboxRetries.Count"/> is 0).</summary>
    public async Task<OutboxRetries> RetriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<RetryRow>(database.Command(_sql.SelectOutboxRetries, null, cancellationToken));
        return new OutboxRetries(checked((int)row.Count), row.Oldest is { } oldest ? DbText.ParseInstant(oldest) : null,
            row.NextAttemptAt is { } next ? DbText.ParseInstant(next) : null, row.LastError);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StatusCountRow>(database.Command(_sql.CountOutboxByStatus, null, cancellationToken));
        return rows.ToDictionary(r => r.Status, r => checked((int)r.Count), StringComparer.Ordinal);
    }


    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public string Topic { get; init; } = "";
        public string EntityKey { get; init; } = "";
        public string Payload { get; init; } = "";
        public int Attempts { get; init; }

        public int Failures { get; init; }
    }

    private sealed class RetryRow
    {
        public long Count { get; init; }

        public string? Oldest { get; init; }

        public string? NextAttemptAt { get; init; }

        public string? LastError { get; init; }
    }

    private sealed class StatusCountRow
    {
        public string Status { get; init; } = "";
        public long Count { get; init; }
    }

    private sealed class RemoteRow
    {
        public string EntityKey { get; init; } = "";
        public string RemoteId { get; init; } = "";
    }
}
