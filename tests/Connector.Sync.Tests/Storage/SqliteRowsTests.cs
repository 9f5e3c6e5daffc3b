using Connector.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Connector.Sync.Tests.Storage;

/// <summary>
/// Rows executed on SQLite's native handle (<see cref="SqliteRows"/>) store exactly what Microsoft.Data.Sqlite stores
/// for the same values, and what the native path refuses goes through Microsoft.Data.Sqlite in the same order.
/// </summary>
[TestFixture]
public sealed class SqliteRowsTests
{
    private const string Insert = "INSERT INTO t (n, v) VALUES (@N, @V)";

    private static readonly object?[] Values =
    [
        null, DBNull.Value, "", "plain", "ünïcødé · 東京 · 🎉 · \u0000 inside", new string('x', 100_000),
        long.MaxValue, long.MinValue, 0L, int.MinValue, (short)-7, (byte)255, true, false,

        // Refused by the native path: Microsoft.Data.Sqlite decides how these are stored.
        12.50m, -0.000001m, new DateOnly(2026, 12, 4), 1.5d, double.MaxValue, new byte[] { 0, 1, 2 }, Array.Empty<byte>(),
        Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), new DateTime(2026, 12, 4, 10, 30, 0, DateTimeKind.Utc),
    ];

    [Test]
    public void Execute_EveryKindOfValue_StoresWhatMicrosoftDataSqliteStores()
    {
        // Arrange
        using var native = Open();
        using var reference = Open();

        // Act
        using (var rows = new SqliteRows(native, null, Insert, ["N", "V"]))
        {
            for (var i = 0; i < Values.Length; i++)
            {
                Assert.That(rows.Execute([(long)i, Values[i]]), Is.EqualTo(1));
            }
        }

        for (var i = 0; i < Values.Length; i++)
        {
            using var command = reference.CreateCommand();
            command.CommandText = Insert;
            command.Parameters.AddWithValue("@N", (long)i);
            command.Parameters.AddWithValue("@V", Values[i] ?? DBNull.Value);
            command.ExecuteNonQuery();
        }

        // Assert: the same type and the same bytes, row by row, in the order given.
        const string read = "SELECT n, typeof(v) AS Type, hex(v) AS Hex FROM t ORDER BY rowid";
        var stored = native.Query<(long N, string Type, string Hex)>(read).ToList();
        Assert.That(stored, Is.EqualTo(reference.Query<(long N, string Type, string Hex)>(read).ToList()));
        Assert.That(stored.Select(s => s.N), Is.EqualTo(Enumerable.Range(0, Values.Length).Select(i => (long)i)));
        Assert.That(stored[2].Type, Is.EqualTo("text"), "an empty string is text, not NULL");
    }

    [Test]
    public void Execute_ConstraintBroken_ThrowsSqlitesErrorAndTheNextRowStillRuns()
    {
        using var connection = Open();
        using var rows = new SqliteRows(connection, null, Insert, ["N", "V"]);
        rows.Execute([1L, "first"]);

        var refused = Assert.Throws<SqliteException>(() => rows.Execute([1L, "again"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.SqliteErrorCode, Is.EqualTo(SQLitePCL.raw.SQLITE_CONSTRAINT));
            Assert.That(refused.Message, Does.Contain("UNIQUE constraint failed: t.n"));
            Assert.That(rows.Execute([2L, "second"]), Is.EqualTo(1));
            Assert.That(connection.Query<string>("SELECT v FROM t ORDER BY n"), Is.EqualTo(new[] { "first", "second" }));
        }
    }

    [Test]
    public void Execute_ConflictIgnored_CountsNoRow_AndReturningGivesEachKeyOrNone()
    {
        using var connection = Open();
        using var ignore = new SqliteRows(connection, null, "INSERT INTO t (n, v) VALUES (@N, @V) ON CONFLICT (n) DO NOTHING", ["N", "V"]);
        using var returning = new SqliteRows(connection, null, "INSERT INTO t (n, v) VALUES (@N, @V) ON CONFLICT (n) DO NOTHING RETURNING n * 10", ["N", "V"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ignore.Execute([1L, "a"]), Is.EqualTo(1));
            Assert.That(ignore.Execute([1L, "b"]), Is.Zero);
            Assert.That(returning.ExecuteScalar([2L, "c"]), Is.EqualTo(20));
            Assert.That(returning.ExecuteScalar([3L, 1.5m]), Is.EqualTo(30), "a row the native path refuses returns its key too");
            Assert.That(returning.ExecuteScalar([2L, "d"]), Is.Null, "nothing inserted, nothing returned");
        }
    }

    [Test]
    public void Execute_TwoStatementsInOne_RunsBoth()
    {
        using var connection = Open();
        using var rows = new SqliteRows(connection, null, "INSERT INTO t (n, v) VALUES (@N, @V); INSERT INTO t (n, v) VALUES (@N + 100, @V);", ["N", "V"]);

        rows.Execute([1L, "a"]);
        rows.Execute([2L, "b"]);

        Assert.That(connection.Query<long>("SELECT n FROM t ORDER BY n"), Is.EqualTo(new[] { 1L, 2L, 101L, 102L }));
    }

    [Test]
    public async Task Execute_AnotherConnectionHoldsTheDatabase_WaitsForItAsMicrosoftDataSqliteDoes()
    {
        // Arrange: a database file another connection holds for writing; this one has no busy timeout of its own.
        var folder = Directory.CreateTempSubdirectory("sqlite-rows-");
        try
        {
            var file = $"Data Source={Path.Combine(folder.FullName, "busy.db")};Pooling=False";
            using var connection = new SqliteConnection(file);
            connection.Open();
            connection.Execute("CREATE TABLE t (n INTEGER NOT NULL UNIQUE, v)");
            using var other = new SqliteConnection(file);
            other.Open();
            using var holding = other.BeginTransaction(deferred: false);
            other.Execute("INSERT INTO t (n, v) VALUES (1, 'other')", transaction: holding);
            var release = Task.Run(async () =>
            {
                await Task.Delay(300);
                holding.Commit();
            });

            // Act: SQLite answers busy at once; the row is retried until the other connection lets go.
            using var rows = new SqliteRows(connection, null, Insert, ["N", "V"]);
            var written = rows.Execute([2L, "mine"]);
            await release;

            // Assert
            Assert.That(written, Is.EqualTo(1));
            Assert.That(connection.Query<string>("SELECT v FROM t ORDER BY n"), Is.EqualTo(new[] { "other", "mine" }));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static SqliteConnection Open()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE t (n INTEGER NOT NULL UNIQUE, v)");
        return connection;
    }
}
