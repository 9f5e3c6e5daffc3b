using Dapper;

namespace Connector.Storage;

/// <summary>Applies the dialect's pending migrations at start, each in its own transaction, recording it in <c>schema_version</c>.</summary>
internal sealed class Migrator(ConnectorDatabase database, TimeProvider timeProvider)
{
    /// <summary>Returns the versions applied by this call (empty when the schema was current).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = MigrationSql.For(database.Provider);
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

    private async Task<IReadOnlyList<int>> ApplyPendingAsync(System.Data.Common.DbConnection connection, MigrationSql sql, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(sql.CreateSchemaVersionTable, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(sql.SelectSchemaVersions, cancellationToken: cancellationToken))).ToHashSet();

        var newlyApplied = new List<int>();
        foreach (var migration in Migration.For(database.Provider).Where(m => !applied.Contains(m.Version)))
        {
            // SQLite changes a table's constraints by rebuilding it, which its own procedure does with foreign keys off
            // (they cannot be switched inside a transaction) and every key checked before commit.
            var sqlite = database.Provider == StorageProvider.Sqlite;
            if (sqlite)
            {
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = OFF", cancellationToken: cancellationToken));
            }

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

            if (sqlite && (await connection.QueryAsync(new CommandDefinition("PRAGMA foreign_key_check", transaction: transaction, cancellationToken: cancellationToken))).Any())
            {
                throw new InvalidOperationException($"Migration {migration.Version} ({migration.Name}) would leave rows whose foreign keys point nowhere; nothing was changed.");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                sql.InsertSchemaVersion,
                new { migration.Version, migration.Name, AppliedAt = DbText.Instant(timeProvider.GetUtcNow()) },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (sqlite)
            {
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = ON", cancellationToken: cancellationToken));
            }

            newlyApplied.Add(migration.Version);
        }

        return newlyApplied;
    }
}
