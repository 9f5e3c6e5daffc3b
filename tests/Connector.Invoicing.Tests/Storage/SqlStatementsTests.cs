using System.Text.RegularExpressions;
using Connector.Invoicing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Connector.Invoicing.Tests.Storage;

[TestFixture]
public sealed partial class SqlStatementsTests
{
    public static IEnumerable<TestCaseData> SqlServerStatements() =>
        Statements(SqlStatements.SqlServer).Select(s => new TestCaseData(s.Sql).SetName($"TSql_{s.Name}_Parses"));

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
        foreach (var (name, sql) in Statements(SqlStatements.Sqlite))
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
    public void Dialects_DefineTheSameStatements()
    {
        Assert.That(Statements(SqlStatements.Sqlite).Select(s => s.Name), Is.EqualTo(Statements(SqlStatements.SqlServer).Select(s => s.Name)));
    }

    [Test]
    public void Migrations_SameVersionsInBothDialects()
    {
        Assert.That(Migration.For(StorageProvider.Sqlite).Select(m => (m.Version, m.Name)),
            Is.EqualTo(Migration.For(StorageProvider.SqlServer).Select(m => (m.Version, m.Name))).And.Not.Empty);
    }

    private static IEnumerable<(string Name, string Sql)> Statements(SqlStatements statements) =>
        typeof(SqlStatements).GetProperties()
            .Where(p => p.PropertyType == typeof(string))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => (p.Name, (string)p.GetValue(statements)!));

    /// <summary>Dapper expands <c>IN @Ids</c> into <c>IN (@Ids1, @Ids2…)</c>; the parsers see the expanded shape.</summary>
    private static string ExpandDapperLists(string sql) => DapperList().Replace(sql, "IN ($1)");

    [GeneratedRegex(@"IN (@\w+)")]
    private static partial Regex DapperList();
}
