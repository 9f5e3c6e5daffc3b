using Connector.Storage;

namespace Connector.Sync.Quarantine;

/// <summary>Records a person must look at: opened once per record and reason, resolved when the record maps, discarded by hand. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record QuarantineSql
{
    public required string InsertQuarantineIfNew { get; init; }

    public string ResolveQuarantine { get; init; } = Common.ResolveQuarantine;

    public string SelectOpenQuarantine { get; init; } = Common.SelectOpenQuarantine;

    public string SelectQuarantineByIds { get; init; } = Common.SelectQuarantineByIds;

    public string DiscardQuarantine { get; init; } = Common.DiscardQuarantine;

    public static QuarantineSql Sqlite { get; } = new()
    {
        InsertQuarantineIfNew = """
            INSERT INTO quarantine (object_name, record_id, reason, payload, status, created_at)
            VALUES (@ObjectName, @RecordId, @Reason, @Payload, 'Open', @CreatedAt)
            ON CONFLICT (object_name, record_id, reason) DO UPDATE SET status = 'Open', payload = excluded.payload
            """,
    };

    public static QuarantineSql SqlServer { get; } = new()
    {
        InsertQuarantineIfNew = """
            MERGE quarantine WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name, @RecordId AS record_id, @Reason AS reason) AS s
               ON t.object_name = s.object_name AND t.record_id = s.record_id AND t.reason = s.reason
            WHEN MATCHED THEN UPDATE SET status = 'Open', payload = @Payload
            WHEN NOT MATCHED THEN INSERT (object_name, record_id, reason, payload, status, created_at)
                                  VALUES (@ObjectName, @RecordId, @Reason, @Payload, 'Open', @CreatedAt);
            """,
    };

    public static QuarantineSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static QuarantineSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string ResolveQuarantine = """
            UPDATE quarantine SET status = 'Resolved'
            WHERE  object_name = @ObjectName AND record_id = @RecordId AND status = 'Open'
            """;

        public const string QuarantineColumns = """
            SELECT id          AS Id,
                   object_name AS ObjectName,
                   record_id   AS RecordId,
                   reason      AS Reason,
                   payload     AS Payload,
                   created_at  AS CreatedAt
            FROM   quarantine
            """;

        public const string SelectOpenQuarantine = QuarantineColumns + "\nWHERE  status = 'Open'\nORDER BY id";

        public const string SelectQuarantineByIds = QuarantineColumns + "\nWHERE  status = 'Open' AND id IN @Ids\nORDER BY id";

        public const string DiscardQuarantine = """
            UPDATE quarantine SET status = 'Discarded' WHERE status = 'Open' AND id IN @Ids
            """;
    }
}
