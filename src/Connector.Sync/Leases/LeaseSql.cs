using Connector.Storage;

namespace Connector.Sync.Leases;

/// <summary>The leader lease one replica holds at a time. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record LeaseSql
{
    /// <summary>Takes the lease when it is free or expired, or renews it for its holder; then <see cref="SelectLease"/> tells who holds it.</summary>
    public required string TakeLease { get; init; }

    public string SelectLease { get; init; } = Common.SelectLease;

    public string ReleaseLease { get; init; } = Common.ReleaseLease;

    public static LeaseSql Sqlite { get; } = new()
    {
        TakeLease = """
            INSERT INTO lease (name, holder, expires_at, acquired_at)
            VALUES (@Name, @Holder, @ExpiresAt, @Now)
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder,
                expires_at = excluded.expires_at,
                acquired_at = CASE WHEN lease.holder = excluded.holder AND lease.expires_at >= @Now THEN lease.acquired_at ELSE excluded.acquired_at END
            WHERE lease.holder = excluded.holder OR lease.expires_at <= @Now
            """,
    };

    public static LeaseSql SqlServer { get; } = new()
    {
        TakeLease = """
            UPDATE lease WITH (UPDLOCK, HOLDLOCK)
            SET    acquired_at = CASE WHEN holder = @Holder AND expires_at >= @Now THEN acquired_at ELSE @Now END,
                   holder = @Holder,
                   expires_at = @ExpiresAt
            WHERE  name = @Name AND (holder = @Holder OR expires_at <= @Now);
            IF @@ROWCOUNT = 0
                INSERT INTO lease (name, holder, expires_at, acquired_at)
                SELECT @Name, @Holder, @ExpiresAt, @Now
                WHERE  NOT EXISTS (SELECT 1 FROM lease WITH (UPDLOCK, HOLDLOCK) WHERE name = @Name);
            """,
    };

    public static LeaseSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static LeaseSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string SelectLease = """
            SELECT holder      AS Holder,
                   expires_at  AS ExpiresAt,
                   acquired_at AS AcquiredAt
            FROM   lease
            WHERE  name = @Name
            """;

        public const string ReleaseLease = """
            UPDATE lease SET expires_at = @Now WHERE name = @Name AND holder = @Holder
            """;
    }
}
