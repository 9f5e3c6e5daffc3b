using Npgsql;

namespace Connector.Tests.Shared;

/// <summary>
/// The PostgreSQL server the tests run against: CONNECTOR_TEST_POSTGRES holds a connection string to it (.ci/run
/// starts one with .ci/tools/start-postgres). Each test gets a database of its own, created and dropped around it.
/// Without the variable the tests are skipped with a message saying how to enable them; where
/// CONNECTOR_REQUIRE_POSTGRES=1 (CI) they fail instead, so CI never skips them.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "CONNECTOR_TEST_POSTGRES";

    /// <summary>The server's connection string, or the test is ignored (failed on CI) when none is set.</summary>
    public static string ServerOrIgnore()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        const string how = Variable + " is not set: the PostgreSQL tests are skipped. To run them, start a throwaway server with "
            + "eval \"$(.ci/tools/start-postgres)\" (it installs Debian's postgresql if needed and exports the variable).";
        if (Environment.GetEnvironmentVariable("CONNECTOR_REQUIRE_POSTGRES") == "1")
        {
            Assert.Fail(how);
        }

        Assert.Ignore(how);
        return "";
    }

    /// <summary>A new empty database on the server; disposing it drops it (closing whatever still uses it).</summary>
    public static async Task<TemporaryDatabase> CreateDatabaseAsync()
    {
        var server = ServerOrIgnore();
        var name = $"connector_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TemporaryDatabase(server, name, builder.ConnectionString);
    }

    internal sealed class TemporaryDatabase(string server, string name, string connectionString) : IAsyncDisposable
    {
        public string ConnectionString { get; } = connectionString;

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
    }
}
