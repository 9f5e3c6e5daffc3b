using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Tests.Invoices;

[TestFixture]
public sealed class TaxCalculatorTests
{
    [Test]
    public void PerRateOnDocument_ThreeSmallLines_RoundsOnceOnTheSummedBase()
    {
        // Arrange: 3 × 0.10 at 15 %. Per line would be 3 × 0.02 = 0.06; on the document, 0.30 × 15 % = 0.045 → 0.05.
        var lines = Enumerable.Range(1, 3).Select(i => Line(i, 10, 15m)).ToList();

        // Act
        var taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument);

        // Assert
        var tax = taxes.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tax.Base.MinorUnits, Is.EqualTo(30));
            Assert.That(tax.Tax.MinorUnits, Is.EqualTo(5));
        }
    }

    [Test]
    public void PerRateOnDocument_TwoRates_OneTaxLinePerRateInRateOrder()
    {
        var lines = new[] { Line(1, 10_000, 21m), Line(2, 5_000, 10m), Line(3, 2_000, 21m) };

        var taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument);

        Assert.That(taxes.Select(t => (t.RatePercent, t.Base.MinorUnits, t.Tax.MinorUnits)),
            Is.EqualTo(new[] { (10m, 5_000L, 500L), (21m, 12_000L, 2_520L) }));
    }

    private static InvoiceLine Line(int number, long netMinor, decimal rate) =>
        new(number, "801", "802-" + number, "x", new BillingPeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)), 1m, 1m,
            Amount.FromMinorUnits(netMinor, Currency.Eur), rate, "test");
}
