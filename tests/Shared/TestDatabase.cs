using Connector.Storage;
using Microsoft.Data.SqlClient;

namespace Connector.Tests.Shared;

/// <summary>
/// A throw-away database for one test: a temporary SQLite file, or a new database on the SQL Server named by
/// CONNECTOR_TEST_SQLSERVER or on the PostgreSQL server named by CONNECTOR_TEST_POSTGRES (created and dropped around the test).
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<Task> _cleanup;

    private TestDatabase(StorageOptions options, Func<Task> cleanup)
    {
        Options = options;
        _cleanup = cleanup;
        Database = new ConnectorDatabase(Microsoft.Extensions.Options.Options.Create(options));
    }

    public StorageOptions Options { get; }

    public ConnectorDatabase Database { get; }

    public static TestDatabase Sqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"connector-test-{Guid.NewGuid():N}.db");
        return new TestDatabase(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={path}" }, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return Task.CompletedTask;
        });
    }

    public static async Task<TestDatabase> SqlServerAsync(string serverConnectionString)
    {
        var name = $"connector_test_{Guid.NewGuid():N}";
        await using (var master = new SqlConnection(serverConnectionString))
        {
            await master.OpenAsync();
            await using var create = master.CreateCommand();
            create.CommandText = $"CREATE DATABASE [{name}]";
            await create.ExecuteNonQueryAsync();
        }

        var builder = new SqlConnectionStringBuilder(serverConnectionString) { InitialCatalog = name };
        return new TestDatabase(new StorageOptions { Provider = StorageProvider.SqlServer, ConnectionString = builder.ConnectionString }, async () =>
        {
            SqlConnection.ClearAllPools();
            await using var master = new SqlConnection(serverConnectionString);
            await master.OpenAsync();
            await using var drop = master.CreateCommand();
            drop.CommandText = $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]";
            await drop.ExecuteNonQueryAsync();
        });
    }

    public static async Task<TestDatabase> PostgresAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        return new TestDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = database.ConnectionString }, async () => await database.DisposeAsync());
    }

    /// <summary>A database of the given engine (SQLite or PostgreSQL: the engines a machine without SQL Server can run).</summary>
    public static async Task<TestDatabase> OfAsync(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite(),
        StorageProvider.Postgres => await PostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "use SqlServerAsync with a server"),
    };

    public async ValueTask DisposeAsync() => await _cleanup();
}
