using Connector.Invoicing.Documents.Languages;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Tests.Documents;

[TestFixture]
public sealed class DocumentLanguageTests
{
    private static IEnumerable<string> Others => DocumentLanguage.Supported.Where(c => c != "en");

    [TestCaseSource(nameof(Others))]
    public void ResourceFile_EveryLanguage_HasExactlyTheKeysOfEnglish(string code)
    {
        var english = DocumentLanguage.Get("en").Keys.ToHashSet();
        var other = DocumentLanguage.Get(code).Keys.ToHashSet();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(english.Except(other), Is.Empty, $"keys missing from Languages/{code}.json");
            Assert.That(other.Except(english), Is.Empty, $"keys in Languages/{code}.json that English lacks");
        }
    }

    [TestCaseSource(nameof(Others))]
    public void ResourceFile_EveryText_UsesThePlaceholdersOfEnglish(string code)
    {
        var english = DocumentLanguage.Get("en");
        var other = DocumentLanguage.Get(code);

        var differing = english.Keys.Where(k => !english.Placeholders(k).SetEquals(other.Placeholders(k))).ToList();

        Assert.That(differing, Is.Empty, $"texts of Languages/{code}.json whose {{placeholders}} differ from English");
    }

    [TestCase("en", "1,234,567.89 EUR", "2026-03-01")]
    [TestCase("es", "1.234.567,89 €", "01/03/2026")]
    [TestCase("de", "1.234.567,89 €", "01.03.2026")]
    [TestCase("da", "1.234.567,89 €", "01.03.2026")]
    public void Formats_AmountAndDate_AsTheLanguageWritesThem(string code, string money, string date)
    {
        var language = DocumentLanguage.Get(code);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(language.Money(1_234_567.89m, Currency.Eur), Is.EqualTo(money));
            Assert.That(language.Money(1_234.5m, Currency.Eur), Does.StartWith(code == "en" ? "1,234.50" : "1.234,50"), "grouped from four digits");
            Assert.That(language.Date(new DateOnly(2026, 3, 1)), Is.EqualTo(date));
        }
    }

    [Test]
    public void Formats_DanishKroner_WithKr()
    {
        Assert.That(DocumentLanguage.Get("da").Money(1_234.56m, Currency.Of("DKK")), Is.EqualTo("1.234,56 kr."));
    }

    [TestCase("de", "ES", "de", ExpectedResult = "de", TestName = "Choose_AccountLanguage_Wins")]
    [TestCase("DA ", null, "en", ExpectedResult = "da", TestName = "Choose_AccountLanguageInAnyCase_Wins")]
    [TestCase(null, "ES", "en", ExpectedResult = "es", TestName = "Choose_NoAccountLanguage_BillingCountryDecides")]
    [TestCase(null, "Deutschland", "en", ExpectedResult = "de", TestName = "Choose_CountryWrittenOut_BillingCountryDecides")]
    [TestCase("fr", "DK", "en", ExpectedResult = "da", TestName = "Choose_UnsupportedAccountLanguage_BillingCountryDecides")]
    [TestCase(null, "FR", "es", ExpectedResult = "es", TestName = "Choose_CountryOfNoLanguage_TheSettingDecides")]
    [TestCase(null, null, "xx", ExpectedResult = "en", TestName = "Choose_NothingKnown_English")]
    public string Choose(string? account, string? country, string fallback) => DocumentLanguage.Choose(account, country, fallback);

    [Test]
    public void Text_ValuesHoldingBracesOrPlaceholders_PrintAsWritten()
    {
        // A hostile org's product name: a placeholder of the same text, a stray brace, an empty pair.
        var text = DocumentLanguage.Get("en").Text("line.recurring", ("product", "Widget {order} {frequency} {x {}"), ("order", "00000101"), ("frequency", "monthly"));

        Assert.That(text, Is.EqualTo("Widget {order} {frequency} {x {}, monthly (order 00000101)"));
    }

    [Test]
    public void Text_PlaceholderNoValueNames_StaysAsWritten()
    {
        var text = DocumentLanguage.Get("de").Text("line.recurring", ("product", "Plattform"), ("order", "801"));

        Assert.That(text, Is.EqualTo("Plattform, {frequency} (Bestellung 801)"));
    }
}
