using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Storage;

/// <summary>Opens connections to the configured store and knows its SQL dialect.</summary>
public sealed class ConnectorDatabase
{
    private readonly StorageOptions _options;

    public ConnectorDatabase(IOptions<StorageOptions> options)
    {
        _options = options.Value;
        Sql = _options.Provider == StorageProvider.SqlServer ? SqlStatements.SqlServer : SqlStatements.Sqlite;
    }

    public StorageProvider Provider => _options.Provider;

    internal SqlStatements Sql { get; }

    internal int CommandTimeoutSeconds => _options.CommandTimeoutSeconds;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _options.Provider == StorageProvider.SqlServer
            ? new SqlConnection(_options.ConnectionString)
            : new SqliteConnection(_options.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection is SqliteConnection)
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;";
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
}
