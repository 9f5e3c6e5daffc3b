using Connector.Sandbox.Soql;

namespace Connector.Sandbox.Tests.Soql;

[TestFixture]
public sealed class SoqlParserTests
{
    [Test]
    public void Parse_FullSubset_BuildsTheTree()
    {
        var query = SoqlParser.Parse("SELECT Id, Account.Name FROM Order WHERE (Status = 'Activated' OR Status != 'Draft') AND NOT Name IN ('a','b') AND EffectiveDate <= 2026-03-01 ORDER BY SystemModstamp, Id DESC LIMIT 10");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(query.Fields, Is.EqualTo(new[] { "Id", "Account.Name" }));
            Assert.That(query.From, Is.EqualTo("Order"));
            Assert.That(query.OrderBy, Is.EqualTo(new[] { new OrderTerm("SystemModstamp", false), new OrderTerm("Id", true) }));
            Assert.That(query.Limit, Is.EqualTo(10));
            Assert.That(query.Where, Is.TypeOf<Condition.And>());
        }
    }

    [Test]
    public void Parse_EscapedQuote_IsPartOfTheLiteral()
    {
        var query = SoqlParser.Parse(@"SELECT Id FROM Account WHERE Name = 'O\'Brien'");

        Assert.That(((Condition.Compare)query.Where!).Value, Is.EqualTo("O'Brien"));
    }

    [Test]
    public void Parse_SemiJoin_BuildsASubquery()
    {
        var query = SoqlParser.Parse("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Order WHERE Status = 'Activated') AND Name != null");

        var semi = (Condition.InSubquery)((Condition.And)query.Where!).Left;
        Assert.That((semi.Field, semi.Subquery.From, semi.Subquery.Fields.Single()), Is.EqualTo(("Id", "Order", "AccountId")));
    }

    [TestCase("SELECT FROM Order")]
    [TestCase("SELECT Id FROM Order WHERE Name = 'unterminated")]
    [TestCase("SELECT Id FROM Order WHERE Name LIKE 5")]
    [TestCase("SELECT Id FROM Order LIMIT 5 extra")]
    public void Parse_Malformed_IsMalformedQuery(string soql) =>
        Assert.That(() => SoqlParser.Parse(soql), Throws.TypeOf<SoqlException>().With.Property(nameof(SoqlException.ErrorCode)).EqualTo("MALFORMED_QUERY"));
}
