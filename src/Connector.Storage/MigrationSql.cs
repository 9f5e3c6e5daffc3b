namespace Connector.Storage;

/// <summary>The migrator's statements: the schema version table and the lock that serialises replicas starting together. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record MigrationSql
{
    public required string CreateSchemaVersionTable { get; init; }

    /// <summary>Serialises concurrent start-ups (several replicas) around migrations; released with <see cref="ReleaseMigrationLock"/>.</summary>
    public required string AcquireMigrationLock { get; init; }

    public required string ReleaseMigrationLock { get; init; }

    public string SelectSchemaVersions { get; init; } = Common.SelectSchemaVersions;

    public string InsertSchemaVersion { get; init; } = Common.InsertSchemaVersion;

    public static MigrationSql Sqlite { get; } = new()
    {
        CreateSchemaVersionTable = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """,
        AcquireMigrationLock = "SELECT 1",
        ReleaseMigrationLock = "SELECT 1",
    };

    public static MigrationSql SqlServer { get; } = new()
    {
        CreateSchemaVersionTable = """
            IF OBJECT_ID(N'dbo.schema_version', N'U') IS NULL
                CREATE TABLE dbo.schema_version (
                    version    INT           NOT NULL PRIMARY KEY,
                    name       NVARCHAR(200) NOT NULL,
                    applied_at VARCHAR(40)   NOT NULL);
            """,
        AcquireMigrationLock = """
            DECLARE @result INT;
            EXEC @result = sp_getapplock @Resource = N'connector-migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 120000;
            IF @result < 0 THROW 50001, 'Another connector instance has held the migration lock for 2 minutes.', 1;
            """,
        ReleaseMigrationLock = "EXEC sp_releaseapplock @Resource = N'connector-migrations', @LockOwner = 'Session';",
    };

    public static MigrationSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with
    {
        CreateSchemaVersionTable = """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    BIGINT PRIMARY KEY,
                    name       TEXT COLLATE "C" NOT NULL,
                    applied_at TEXT COLLATE "C" NOT NULL)
                """,
        AcquireMigrationLock = "SELECT pg_advisory_lock(7165066952596223087)",
        ReleaseMigrationLock = "SELECT pg_advisory_unlock(7165066952596223087)",
    });

    public static MigrationSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string SelectSchemaVersions = "SELECT version FROM schema_version ORDER BY version";

        public const string InsertSchemaVersion = """
            INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)
            """;
    }
}
