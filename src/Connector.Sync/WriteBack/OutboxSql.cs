using Connector.Storage;

namespace Connector.Sync.WriteBack;

/// <summary>The outbox of facts for the org, the remote ids it learned, and the hash of the facts last queued per invoice and account. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record OutboxSql
{
    public required string SelectPendingOutbox { get; init; }

    public required string UpsertRemoteRecord { get; init; }

    public required string UpsertFactState { get; init; }

    public string InsertOutbox { get; init; } = Common.InsertOutbox;

    public string RetryOutboxLater { get; init; } = Common.RetryOutboxLater;

    public string SelectOutboxRetries { get; init; } = Common.SelectOutboxRetries;

    public string StartOutboxAttempt { get; init; } = Common.StartOutboxAttempt;

    public string CompleteOutboxMany { get; init; } = Common.CompleteOutboxMany;

    public string SelectRemoteIds { get; init; } = Common.SelectRemoteIds;

    public string CountOutboxByStatus { get; init; } = Common.CountOutboxByStatus;

    public string SelectFactStates { get; init; } = Common.SelectFactStates;

    public static OutboxSql Sqlite { get; } = new()
    {
        SelectPendingOutbox = """
            SELECT id         AS Id,
                   topic      AS Topic,
                   entity_key AS EntityKey,
                   payload    AS Payload,
                   attempts   AS Attempts,
                   failures   AS Failures
            FROM   outbox
            WHERE  status = 'Pending' AND next_attempt_at <= @Now
            ORDER BY id
            LIMIT  @Limit
            """,
        UpsertRemoteRecord = """
            INSERT INTO remote_record (object_name, entity_key, remote_id, updated_at)
            VALUES (@ObjectName, @EntityKey, @RemoteId, @UpdatedAt)
            ON CONFLICT (object_name, entity_key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at
            """,
        UpsertFactState = """
            INSERT INTO fact_state (topic, entity_key, account_id, payload_hash, updated_at)
            VALUES (@Topic, @EntityKey, @AccountId, @PayloadHash, @UpdatedAt)
            ON CONFLICT (topic, entity_key) DO UPDATE SET payload_hash = excluded.payload_hash, updated_at = excluded.updated_at
            """,
    };

    public static OutboxSql SqlServer { get; } = new()
    {
        SelectPendingOutbox = """
            SELECT TOP (@Limit)
                   id         AS Id,
                   topic      AS Topic,
                   entity_key AS EntityKey,
                   payload    AS Payload,
                   attempts   AS Attempts,
                   failures   AS Failures
            FROM   outbox
            WHERE  status = 'Pending' AND next_attempt_at <= @Now
            ORDER BY id;
            """,
        UpsertRemoteRecord = """
            MERGE remote_record WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name, @EntityKey AS entity_key) AS s
               ON t.object_name = s.object_name AND t.entity_key = s.entity_key
            WHEN MATCHED THEN UPDATE SET remote_id = @RemoteId, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (object_name, entity_key, remote_id, updated_at)
                                  VALUES (@ObjectName, @EntityKey, @RemoteId, @UpdatedAt);
            """,
        UpsertFactState = """
            MERGE fact_state WITH (HOLDLOCK) AS t
            USING (SELECT @Topic AS topic, @EntityKey AS entity_key) AS s ON t.topic = s.topic AND t.entity_key = s.entity_key
            WHEN MATCHED THEN UPDATE SET payload_hash = @PayloadHash, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (topic, entity_key, account_id, payload_hash, updated_at)
                                  VALUES (@Topic, @EntityKey, @AccountId, @PayloadHash, @UpdatedAt);
            """,
    };

    public static OutboxSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static OutboxSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string InsertOutbox = """
            INSERT INTO outbox (topic, entity_key, payload, status, attempts, last_error, next_attempt_at, created_at, completed_at)
            VALUES (@Topic, @EntityKey, @Payload, 'Pending', 0, NULL, @CreatedAt, @CreatedAt, NULL)
            """;

        public const string RetryOutboxLater = """
            UPDATE outbox
            SET    status = @Status, last_error = @LastError, next_attempt_at = @NextAttemptAt, failures = failures + 1
            WHERE  id = @Id
            """;

        public const string SelectOutboxRetries = """
            SELECT COUNT(*)             AS Count,
                   MIN(created_at)      AS Oldest,
                   MIN(next_attempt_at) AS NextAttemptAt,
                   MAX(last_error)      AS LastError
            FROM   outbox
            WHERE  status = 'Pending' AND last_error IS NOT NULL
            """;

        public const string StartOutboxAttempt = """
            UPDATE outbox SET attempts = attempts + 1 WHERE id IN @Ids
            """;

        public const string CompleteOutboxMany = """
            UPDATE outbox
            SET    status = 'Done', completed_at = @CompletedAt, last_error = NULL
            WHERE  id IN @Ids
            """;

        public const string SelectRemoteIds = """
            SELECT entity_key AS EntityKey,
                   remote_id  AS RemoteId
            FROM   remote_record
            WHERE  object_name = @ObjectName AND entity_key IN @EntityKeys
            """;

        public const string CountOutboxByStatus = """
            SELECT status AS Status, COUNT(*) AS Count FROM outbox GROUP BY status
            """;

        public const string SelectFactStates = """
            SELECT entity_key AS EntityKey, payload_hash AS PayloadHash FROM fact_state WHERE topic = @Topic AND entity_key IN @Keys
            """;
    }
}
