using Connector.Storage;
using Dapper;

namespace Connector.Sync.Tests.Storage;

[TestFixture]
public sealed class SqliteListsTests
{
    private const string Create = """
        CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT);
        INSERT INTO item (id, name, kind) VALUES (1, 'a', 'x'), (2, 'b', 'y'), (3, 'c', 'x'), (4, '4', NULL), (5, 'É', 'y');
        """;

    public static IEnumerable<TestCaseData> Lists()
    {
        yield return new TestCaseData("SELECT id FROM item WHERE name IN @Names ORDER BY id", new { Names = new[] { "a", "c", "zz", "É" } }).SetName("Strings");
        yield return new TestCaseData("SELECT id FROM item WHERE id IN @Ids ORDER BY id", new { Ids = new long[] { 2, 4, 99 } }).SetName("Longs");
        yield return new TestCaseData("SELECT id FROM item WHERE id IN @Ids ORDER BY id", new { Ids = new List<int> { 1, 5 } }).SetName("IntsInAList");
        yield return new TestCaseData("SELECT id FROM item WHERE id IN @Ids ORDER BY id", new { Ids = Array.Empty<long>() }).SetName("Empty");
        yield return new TestCaseData("SELECT id FROM item WHERE id NOT IN @Ids ORDER BY id", new { Ids = new long[] { 1, 2 } }).SetName("NotIn");
        yield return new TestCaseData("SELECT id FROM item WHERE name IN @Names ORDER BY id", new { Names = new[] { "4" } }).SetName("DigitsAsTextMatchOnlyText");
        yield return new TestCaseData("SELECT id FROM item WHERE id IN @Ids ORDER BY id", new { Ids = new[] { "4" } }).SetName("TextNeverMatchesAnInteger");
        yield return new TestCaseData("SELECT id FROM item WHERE kind = @Kind AND id in @Ids ORDER BY id", new { Kind = "x", Ids = Enumerable.Range(1, 3000).Select(i => (long)i).ToArray() })
            .SetName("ManyBesideAScalar");
        yield return new TestCaseData("SELECT id FROM item WHERE kind IN @Kinds ORDER BY id", new { Kinds = new[] { "y", null } }).SetName("NullItemMatchesNothing");
        yield return new TestCaseData("SELECT id FROM item WHERE id IN @Ids OR name IN @Names ORDER BY id", new { Ids = new long[] { 1 }, Names = new[] { "b" } }).SetName("TwoLists");
    }

    [TestCaseSource(nameof(Lists))]
    public async Task ListReadWithIn_OnSqlite_MatchesTheRowsDappersExpansionMatches(string sql, object parameters)
    {
        // Arrange
        await using var db = TestDatabase.Sqlite();
        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(Create);

        // Act
        var expanded = await connection.QueryAsync<long>(new CommandDefinition(sql, parameters));
        var bound = await connection.QueryAsync<long>(db.Database.Command(sql, parameters, CancellationToken.None));

        // Assert
        Assert.That(bound, Is.EqualTo(expanded));
    }

    [Test]
    public void Rewrite_AListOfAThousand_IsOneJsonParameterAndOtherValuesStayAsTheyAre()
    {
        // Arrange
        var ids = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();

        // Act
        var (sql, parameters) = SqliteLists.Rewrite("UPDATE item SET kind = @Kind WHERE id IN @Ids", new { Kind = "z", Ids = ids });

        // Assert
        var bound = (DynamicParameters)parameters!;
        Assert.Multiple(() =>
        {
            Assert.That(sql, Is.EqualTo("UPDATE item SET kind = @Kind WHERE id IN (SELECT value FROM json_each(@Ids))"));
            Assert.That(bound.ParameterNames, Is.EquivalentTo(new[] { "Kind", "Ids" }));
            Assert.That(bound.Get<string>("Kind"), Is.EqualTo("z"));
            Assert.That(bound.Get<string>("Ids"), Does.StartWith("[1,2,3,").And.EndWith(",1000]"));
        });
    }

    [Test]
    public void Rewrite_AListTheStatementDoesNotReadWithIn_LeavesParametersToDapper()
    {
        // Arrange
        var parameters = new { Ids = new long[] { 1, 2 } };

        // Act
        var (sql, rewritten) = SqliteLists.Rewrite("SELECT id FROM item WHERE id = ANY(@Ids)", parameters);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(sql, Is.EqualTo("SELECT id FROM item WHERE id = ANY(@Ids)"));
            Assert.That(rewritten, Is.SameAs(parameters));
        });
    }
}
