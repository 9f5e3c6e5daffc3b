using Connector.Storage;

namespace Connector.Sync.Cycles;

/// <summary>The record of each sync cycle, kept for status. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record CycleSql
{
    public string InsertCycleRun { get; init; } = Common.InsertCycleRun;

    public string DeleteCycleRunsBefore { get; init; } = Common.DeleteCycleRunsBefore;

    public string SelectLastCycleRuns { get; init; } = Common.SelectLastCycleRuns;

    public static CycleSql Sqlite { get; } = new();

    public static CycleSql SqlServer { get; } = new();

    public static CycleSql Postgres { get; } = SqlDialect.ForPostgres(new CycleSql());

    public static CycleSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string InsertCycleRun = """
            INSERT INTO cycle_run (kind, started_at, finished_at, outcome, summary, error)
            VALUES (@Kind, @StartedAt, @FinishedAt, @Outcome, @Summary, @Error)
            """;

        public const string DeleteCycleRunsBefore = """
            DELETE FROM cycle_run WHERE finished_at < @Cutoff
            """;

        public const string SelectLastCycleRuns = """
            SELECT kind        AS Kind,
                   started_at  AS StartedAt,
                   finished_at AS FinishedAt,
                   outcome     AS Outcome,
                   summary     AS Summary,
                   error       AS Error
            FROM   cycle_run
            WHERE  id IN (SELECT MAX(id) FROM cycle_run GROUP BY kind)
            ORDER BY kind
            """;
    }
}
