using System.Text.RegularExpressions;
using System.Reflection;
using Connector.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Npgsql;

namespace Connector.Sync.Tests.Storage;

[TestFixture]
public sealed partial class SqlCatalogTests
{
    public static IEnumerable<TestCaseData> SqlServerStatements() =>
        Statements(nameof(Dialect.SqlServer)).Select(s => new TestCaseData(s.Sql).SetName($"TSql_{s.Name}_Parses"));

    public static IEnumerable<TestCaseData> SqlServerMigrationBatches() =>
        Migration.For(StorageProvider.SqlServer).SelectMany(m => m.Batches.Select((b, i) => new TestCaseData(b).SetName($"TSql_Migration{m.Version:0000}_Batch{i + 1}_Parses")));

    [TestCaseSource(nameof(SqlServerStatements))]
    [TestCaseSource(nameof(SqlServerMigrationBatches))]
    public void SqlServerStatement_ParsedByScriptDom_HasNoErrors(string sql)
    {
        // Act
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(ExpandDapperLists(sql));
        parser.Parse(reader, out var errors);

        // Assert
        Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty);
    }

    [Test]
    public async Task SqliteStatements_PreparedOnAMigratedDatabase_AllCompile()
    {
        // Arrange
        await using var db = TestDatabase.Sqlite();
        await new Migrator(db.Database, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);
        await using var connection = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None);
        var failures = new List<string>();

        // Act
        foreach (var (name, sql) in Statements(nameof(Dialect.Sqlite)))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = ExpandDapperLists(sql);
            try
            {
                command.Prepare();
            }
            catch (SqliteException ex)
            {
                failures.Add($"{name}: {ex.Message}");
            }
        }

        // Assert
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task PostgresStatements_ParsedByTheServerOnAMigratedDatabase_AllCompile()
    {
        // Arrange: the server parses and plans each statement (PREPARE), typing its parameters as it infers them.
        await using var db = await TestDatabase.PostgresAsync();
        await new Migrator(db.Database, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);
        await using var connection = (NpgsqlConnection)await db.Database.OpenAsync(CancellationToken.None);
        var failures = new List<string>();

        // Act
        foreach (var (name, sql) in Statements(nameof(Dialect.Postgres)))
        {
            var numbered = NumberParameters(sql);
            await using var command = connection.CreateCommand();
            var ddl = sql.TrimStart().StartsWith("CREATE", StringComparison.Ordinal);
            command.CommandText = ddl ? sql : $"PREPARE probe AS {numbered}"; // DDL cannot be prepared: it runs (it is idempotent)
            try
            {
                await command.ExecuteNonQueryAsync();
                if (!ddl)
                {
                    command.CommandText = "DEALLOCATE probe";
                    await command.ExecuteNonQueryAsync();
                }
            }
            catch (PostgresException ex)
            {
                failures.Add($"{name}: {ex.MessageText}");
            }
        }

        // Assert
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Dialects_DefineTheSameStatements()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Statements(nameof(Dialect.Sqlite)).Select(s => s.Name), Is.EqualTo(Statements(nameof(Dialect.SqlServer)).Select(s => s.Name)));
            Assert.That(Statements(nameof(Dialect.Postgres)).Select(s => s.Name), Is.EqualTo(Statements(nameof(Dialect.SqlServer)).Select(s => s.Name)));
        }
    }

    [Test]
    public void PostgresStatements_PassListsAsArrays_NeverAsAnInList()
    {
        Assert.That(Statements(nameof(Dialect.Postgres)).Where(s => DapperList().IsMatch(s.Sql)).Select(s => s.Name), Is.Empty);
    }

    [TestCase(nameof(StorageProvider.SqlServer))]
    [TestCase(nameof(StorageProvider.Postgres))]
    public void Migrations_SameVersionsInEveryDialect(string providerName)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        Assert.That(Migration.For(provider).Select(m => (m.Version, m.Name)),
            Is.EqualTo(Migration.For(StorageProvider.Sqlite).Select(m => (m.Version, m.Name))).And.Not.Empty);
    }

    [Test]
    public void Catalogs_EveryStageThatStoresSomething_IsFound()
    {
        Assert.That(Catalogs().Select(c => c.Name), Is.SupersetOf(new[] { "MigrationSql", "BookSql", "OrderSql", "DocumentSql", "IngestSql", "QuarantineSql", "OutboxSql", "LeaseSql", "CycleSql" }));
    }

    /// <summary>Every statement of every catalog (a record marked <see cref="SqlCatalogAttribute"/>) in one dialect, as Catalog.Statement.</summary>
    private static IEnumerable<(string Name, string Sql)> Statements(string dialect) =>
        Catalogs().SelectMany(catalog =>
        {
            var statements = catalog.GetProperty(dialect, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            return catalog.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => ($"{catalog.Name}.{p.Name}", (string)p.GetValue(statements)!));
        });

    /// <summary>The catalogs of every assembly that stores something: the shared storage, billing and the pipeline's stages.</summary>
    private static IEnumerable<Type> Catalogs() =>
        new[] { typeof(ConnectorDatabase).Assembly, typeof(Connector.Invoicing.Storage.BookStore).Assembly, typeof(Connector.Sync.SyncPostingJournal).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.GetCustomAttribute<SqlCatalogAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private enum Dialect
    {
        Sqlite,
        SqlServer,
        Postgres,
    }

    /// <summary>PREPARE wants positional parameters: each distinct <c>@Name</c> becomes <c>$n</c>, as Npgsql sends them.</summary>
    private static string NumberParameters(string sql)
    {
        var names = new List<string>();
        return NamedParameter().Replace(sql, m =>
        {
            var index = names.IndexOf(m.Value);
            if (index < 0)
            {
                names.Add(m.Value);
                index = names.Count - 1;
            }

            return "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex NamedParameter();

    /// <summary>Dapper expands <c>IN @Ids</c> into <c>IN (@Ids1, @Ids2…)</c>; the parsers see the expanded shape.</summary>
    private static string ExpandDapperLists(string sql) => DapperList().Replace(sql, "IN ($1)");

    [GeneratedRegex(@"IN (@\w+)")]
    private static partial Regex DapperList();
}
