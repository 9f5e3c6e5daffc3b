using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>Applies the dialect's pending migrations at start, each in its own transaction, recording it in <c>schema_version</c>.</summary>
public sealed class Migrator(ConnectorDatabase database, TimeProvider timeProvider)
{
    /// <summary>Returns the versions applied by this call (empty when the schema was current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Sql;
        await connection.ExecuteAsync(new CommandDefinition(sql.AcquireMigrationLock, commandTimeout: 180, cancellationToken: cancellationToken));
        try
        {
            return await ApplyPendingAsync(connection, sql, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition(sql.ReleaseMigrationLock, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<IReadOnlyList<int>> ApplyPendingAsync(System.Data.Common.DbConnection connection, SqlStatements sql, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(sql.CreateSchemaVersionTable, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(sql.SelectSchemaVersions, cancellationToken: cancellationToken))).ToHashSet();

        var newlyApplied = new List<int>();
        foreach (var migration in Migration.For(database.Provider).Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Asked again inside the transaction: on SQLite (no migration lock) another replica may have applied it since.
            var current = await connection.QueryAsync<int>(new CommandDefinition(sql.SelectSchemaVersions, transaction: transaction, cancellationToken: cancellationToken));
            if (current.Contains(migration.Version))
            {
                continue;
            }

            foreach (var batch in migration.Batches)
            {
                await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction, commandTimeout: 600, cancellationToken: cancellationToken));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                sql.InsertSchemaVersion,
                new { migration.Version, migration.Name, AppliedAt = DbText.Instant(timeProvider.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            newlyApplied.Add(migration.Version);
        }

        return newlyApplied;
    }
}
