using Connector.Salesforce.Api;

namespace Connector.Salesforce.Tests.Api;

[TestFixture]
public sealed class SoqlTests
{
    [TestCase("O'Brien", @"'O\'Brien'")]
    [TestCase(@"back\slash", @"'back\\slash'")]
    [TestCase("line\nbreak", @"'line\nbreak'")]
    public void Literal_SpecialCharacters_AreEscaped(string value, string expected) =>
        Assert.That(Soql.Literal(value), Is.EqualTo(expected));

    [TestCase("INV-000001:", @"'INV-000001:%'")]
    [TestCase("INV_2026%:", @"'INV\_2026\%:%'")]
    [TestCase("O'Brien:", @"'O\'Brien:%'")]
    public void StartsWith_WildcardsAndQuotesInThePrefix_AreEscaped(string prefix, string expected) =>
        Assert.That(Soql.StartsWith(prefix), Is.EqualTo(expected));

    [TestCase("001000000000001")]
    [TestCase("001000000000001AAA")]
    public void Id_ValidIds_AreQuoted(string id) => Assert.That(Soql.Id(id), Is.EqualTo($"'{id}'"));

    [TestCase("001' OR Name != '")]
    [TestCase("00100000000000")]
    public void Id_InjectionOrWrongLength_Throws(string id) => Assert.That(() => Soql.Id(id), Throws.ArgumentException);

    [Test]
    public void Name_Injection_Throws() => Assert.That(() => Soql.Name("Name FROM User --"), Throws.ArgumentException);

    [Test]
    public void ParseDateTime_SalesforceOffsetWithoutColon_IsUtc() =>
        Assert.That(SalesforceDates.ParseDateTime("2026-01-15T10:00:00.000+0100"), Is.EqualTo(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)));
}
