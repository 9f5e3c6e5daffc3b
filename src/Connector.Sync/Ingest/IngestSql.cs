using Connector.Storage;

namespace Connector.Sync.Ingest;

/// <summary>Raw record versions as the org sent them, and the watermark each object was read to. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record IngestSql
{
    public required string InsertSourceRecordIfNew { get; init; }

    public required string UpsertWatermark { get; init; }

    public string SelectWatermark { get; init; } = Common.SelectWatermark;

    public string SelectExistingVersions { get; init; } = Common.SelectExistingVersions;

    public string SelectRecordVersions { get; init; } = Common.SelectRecordVersions;

    public string SelectSourceRecordById { get; init; } = Common.SelectSourceRecordById;

    public static IngestSql Sqlite { get; } = new()
    {
        InsertSourceRecordIfNew = """
            INSERT INTO source_record (object_name, record_id, system_modstamp, payload, ingested_at)
            VALUES (@ObjectName, @RecordId, @SystemModstamp, @Payload, @IngestedAt)
            ON CONFLICT (object_name, record_id, system_modstamp) DO NOTHING
            """,
        UpsertWatermark = """
            INSERT INTO sync_watermark (object_name, high_water_mark, updated_at)
            VALUES (@ObjectName, @HighWaterMark, @UpdatedAt)
            ON CONFLICT (object_name) DO UPDATE SET high_water_mark = excluded.high_water_mark, updated_at = excluded.updated_at
            """,
    };

    public static IngestSql SqlServer { get; } = new()
    {
        InsertSourceRecordIfNew = """
            INSERT INTO source_record (object_name, record_id, system_modstamp, payload, ingested_at)
            SELECT @ObjectName, @RecordId, @SystemModstamp, @Payload, @IngestedAt
            WHERE  NOT EXISTS (SELECT 1 FROM source_record WITH (UPDLOCK, HOLDLOCK)
                               WHERE object_name = @ObjectName AND record_id = @RecordId AND system_modstamp = @SystemModstamp);
            """,
        UpsertWatermark = """
            MERGE sync_watermark WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name) AS s ON t.object_name = s.object_name
            WHEN MATCHED THEN UPDATE SET high_water_mark = @HighWaterMark, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (object_name, high_water_mark, updated_at) VALUES (@ObjectName, @HighWaterMark, @UpdatedAt);
            """,
    };

    public static IngestSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static IngestSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string SelectWatermark = """
            SELECT high_water_mark FROM sync_watermark WHERE object_name = @ObjectName
            """;

        public const string SelectExistingVersions = """
            SELECT record_id       AS RecordId,
                   system_modstamp AS SystemModstamp
            FROM   source_record
            WHERE  object_name = @ObjectName
              AND  record_id IN @RecordIds
            """;

        public const string SelectRecordVersions = """
            SELECT system_modstamp AS SystemModstamp,
                   payload         AS Payload
            FROM   source_record
            WHERE  object_name = @ObjectName
              AND  record_id = @RecordId
            """;

        public const string SelectSourceRecordById = """
            SELECT object_name     AS ObjectName,
                   system_modstamp AS SystemModstamp,
                   payload         AS Payload
            FROM   source_record
            WHERE  record_id = @RecordId
            """;
    }
}
