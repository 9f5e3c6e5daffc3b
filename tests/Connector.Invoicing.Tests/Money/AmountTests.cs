using Connector.Invoicing.Money;

namespace Connector.Invoicing.Tests.Money;

[TestFixture]
public sealed class AmountTests
{
    [TestCase("2.345", 235)]
    [TestCase("-2.345", -235)]
    [TestCase("2.344999", 234)]
    [TestCase("0.005", 1)]
    public void Round_Midpoint_RoundsHalfAwayFromZero(string value, long expectedMinor)
    {
        // Act
        var amount = Amount.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Currency.Eur);

        // Assert
        Assert.That(amount.MinorUnits, Is.EqualTo(expectedMinor));
    }

    [Test]
    public void Round_ZeroDigitCurrency_RoundsToWholeUnits()
    {
        var yen = Amount.Round(1234.5m, Currency.Of("JPY"));

        Assert.That(yen.MinorUnits, Is.EqualTo(1235));
    }

    [Test]
    public void Add_DifferentCurrencies_ThrowsCurrencyMismatch()
    {
        var eur = Amount.FromMinorUnits(100, Currency.Eur);
        var usd = Amount.FromMinorUnits(100, Currency.Usd);

        Assert.That(() => eur + usd, Throws.TypeOf<CurrencyMismatchException>());
    }

    [Test]
    public void Of_UnknownCode_Throws()
    {
        Assert.That(() => Currency.Of("XYZ"), Throws.ArgumentException.With.Message.Contains("XYZ"));
    }
}
