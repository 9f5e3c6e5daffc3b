using Connector.Storage;
using Dapper;

namespace Connector.Sync.Cycles;

/// <summary>The history of sync cycles: each cycle's kind, outcome and summary, kept for <c>status</c> and pruned by age.</summary>
internal sealed class CycleStore(ConnectorDatabase database)
{
    private readonly CycleSql _sql = CycleSql.For(database.Provider);

    public async Task RecordCycleAsync(CycleRun run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(database.Command(_sql.InsertCycleRun, new
        {
            run.Kind,
            StartedAt = DbText.Instant(run.StartedAt),
            FinishedAt = DbText.Instant(run.FinishedAt),
            run.Outcome,
            run.Summary,
            Error = run.Error is { Length: > 2000 } e ? e[..2000] : run.Error,
        }, cancellationToken));
    }

    /// <summary>Forgets cycle history that ended before <paramref name="cutoff"/>; returns how many rows went.</summary>
    public async Task<int> PruneCyclesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(database.Command(_sql.DeleteCycleRunsBefore, new { Cutoff = DbText.Instant(cutoff) }, cancellationToken));
    }

    public async Task<IReadOnlyList<CycleRun>> LastCyclesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CycleRunRow>(database.Command(_sql.SelectLastCycleRuns, null, cancellationToken));
        return [.. rows.Select(r => new CycleRun(r.Kind, DbText.ParseInstant(r.StartedAt), DbText.ParseInstant(r.FinishedAt), r.Outcome, r.Summary, r.Error))];
    }


    private sealed class CycleRunRow
    {
        public string Kind { get; init; } = "";
        public string StartedAt { get; init; } = "";
        public string FinishedAt { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string Summary { get; init; } = "";
        public string? Error { get; init; }
    }
}
