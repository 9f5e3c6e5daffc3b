using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Connector.Storage;

/// <summary>Opens connections to the configured store; each stage picks its statements for <see cref="Provider"/>.</summary>
internal sealed class ConnectorDatabase
{
    private readonly StorageOptions _options;

    public ConnectorDatabase(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    public StorageProvider Provider => _options.Provider;

    internal int CommandTimeoutSeconds => _options.CommandTimeoutSeconds;

    /// <summary>A Dapper command with the configured timeout.</summary>
    internal CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        Command(sql, parameters, null, cancellationToken);

    /// <summary>
    /// A Dapper command with the configured timeout, in <paramref name="transaction"/> when given. On SQLite a list read
    /// with <c>IN @Name</c> is bound as one JSON array (<see cref="SqliteLists"/>).
    /// </summary>
    internal CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (_options.Provider == StorageProvider.Sqlite)
        {
            (sql, parameters) = SqliteLists.Rewrite(sql, parameters);
        }

        return new(sql, parameters, transaction, CommandTimeoutSeconds, cancellationToken: cancellationToken);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _options.Provider switch
        {
            StorageProvider.SqlServer => new SqlConnection(_options.ConnectionString),
            StorageProvider.Postgres => new NpgsqlConnection(_options.ConnectionString),
            _ => new SqliteConnection(_options.ConnectionString),
        };
        try
        {
            await OpenOrExplainAsync(connection, cancellationToken);
            if (connection is SqliteConnection)
            {
                // A page cache of 16 MB per connection instead of SQLite's 2 MB: a year of billing is a file of a gigabyte, and
                // a run's reads by account then miss the small cache (measured: the 13th monthly run of the billing bench
                // about 6.1 s instead of 6.1-6.5 s, the million-record backfill 166 s instead of 191 s, its peak memory 268 MB instead of 251 MB).
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -16384;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where the connection string points, for messages: the server (and database), or the SQLite file. Never the credentials.</summary>
    public string Target => DescribeTarget(_options.Provider, _options.ConnectionString);

    internal static string DescribeTarget(StorageProvider provider, string connectionString)
    {
        try
        {
            return provider switch
            {
                StorageProvider.SqlServer => new SqlConnectionStringBuilder(connectionString) is var sql && sql.InitialCatalog.Length > 0
                    ? $"{sql.DataSource}, database {sql.InitialCatalog}"
                    : sql.DataSource,
                StorageProvider.Postgres => new NpgsqlConnectionStringBuilder(connectionString) is var pg
                    ? $"{pg.Host}:{pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}" + (pg.Database is { Length: > 0 } db ? $", database {db}" : "")
                    : "",
                _ => new SqliteConnectionStringBuilder(connectionString).DataSource,
            };
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    private async Task OpenOrExplainAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(_options.Provider, Target, ex);
        }
    }

    /// <summary>
    /// A read-only transaction whose queries all see one committed state, so that a book loaded in several queries never
    /// mixes what another writer committed between them: a deferred transaction on SQLite (WAL keeps its snapshot),
    /// REPEATABLE READ on PostgreSQL (one snapshot for the transaction), READ COMMITTED on SQL Server (snapshot
    /// isolation needs a database option the connector does not set; a save still refuses a stale book by its number claim).
    /// </summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _options.Provider switch
        {
            StorageProvider.Sqlite => ((SqliteConnection)connection).BeginTransaction(deferred: true),
            StorageProvider.Postgres => await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken),
            _ => await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken),
        };
    }
}
