using Connector.Invoicing.Quarantine;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>What operators look at and act on: cycle history, invoice counts, and the quarantine by id.</summary>
public sealed class OperationsStore(ConnectorDatabase database)
{
    public async Task RecordCycleAsync(CycleRun run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(Command(database.Sql.InsertCycleRun, new
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
        return await connection.ExecuteAsync(Command(database.Sql.DeleteCycleRunsBefore, new { Cutoff = DbText.Instant(cutoff) }, cancellationToken));
    }

    public async Task<IReadOnlyList<CycleRun>> LastCyclesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CycleRunRow>(Command(database.Sql.SelectLastCycleRuns, null, cancellationToken));
        return [.. rows.Select(r => new CycleRun(r.Kind, DbText.ParseInstant(r.StartedAt), DbText.ParseInstant(r.FinishedAt), r.Outcome, r.Summary, r.Error))];
    }

    public async Task<InvoiceStats> InvoiceStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<InvoiceStatsRow>(Command(database.Sql.SelectInvoiceStats, null, cancellationToken));
        return new InvoiceStats(checked((int)row.Count), row.LastNumber, DbText.ParseNullableDate(row.LastIssueDate));
    }

    /// <summary>Payments recorded in the org that no run has applied yet (an account without orders keeps its payments waiting).</summary>
    public async Task<int> PendingPaymentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(Command(database.Sql.CountPendingIncomingPayments, null, cancellationToken));
    }

    public async Task<IReadOnlyList<QuarantinedRecord>> QuarantineAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuarantineRow>(Command(database.Sql.SelectQuarantineByIds, new { Ids = ids }, cancellationToken));
        return [.. rows.Select(r => new QuarantinedRecord(r.Id, r.ObjectName, r.RecordId, r.Reason, r.Payload, DbText.ParseInstant(r.CreatedAt)))];
    }

    /// <summary>Closes open quarantine rows without using their records; returns how many were open.</summary>
    public async Task<int> DiscardAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(database.Sql.DiscardQuarantine, new { Ids = ids }, cancellationToken));
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, commandTimeout: database.CommandTimeoutSeconds, cancellationToken: cancellationToken);

    private sealed class CycleRunRow
    {
        public string Kind { get; init; } = "";
        public string StartedAt { get; init; } = "";
        public string FinishedAt { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string Summary { get; init; } = "";
        public string? Error { get; init; }
    }

    private sealed class InvoiceStatsRow
    {
        public long Count { get; init; }
        public string? LastNumber { get; init; }
        public string? LastIssueDate { get; init; }
    }

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
