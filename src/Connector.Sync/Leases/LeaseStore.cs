using Connector.Storage;
using Dapper;

namespace Connector.Sync.Leases;

/// <summary>
/// Named leases in the database: the replica holding "leader" runs the loops, the others stand by. A lease expires
/// unless renewed, so a dead pod's lease is taken over after at most its duration.
/// </summary>
internal sealed class LeaseStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private readonly LeaseSql _sql = LeaseSql.For(database.Provider);

    /// <summary>Takes the lease if it is free or expired, renews it if <paramref name="holder"/> has it; true when <paramref name="holder"/> holds it afterwards.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(database.Command(_sql.TakeLease, new
        {
            Name = name, Holder = holder, Now = DbText.Instant(now), ExpiresAt = DbText.Instant(now + duration),
        }, transaction, cancellationToken));
        var current = await connection.QuerySingleOrDefaultAsync<LeaseRow>(database.Command(_sql.SelectLease, new { Name = name }, transaction, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return current?.Holder == holder;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(database.Command(_sql.ReleaseLease, new { Name = name, Holder = holder, Now = DbText.Instant(timeProvider.GetUtcNow()) }, cancellationToken));
    }

    public async Task<Lease?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(database.Command(_sql.SelectLease, new { Name = name }, cancellationToken));
        return row is null ? null : new Lease(row.Holder, DbText.ParseInstant(row.ExpiresAt), DbText.ParseInstant(row.AcquiredAt));
    }


    private sealed class LeaseRow
    {
        public string Holder { get; init; } = "";
        public string ExpiresAt { get; init; } = "";
        public string AcquiredAt { get; init; } = "";
    }
}
