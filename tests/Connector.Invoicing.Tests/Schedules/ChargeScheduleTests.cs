using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Tests.Schedules;

[TestFixture]
public sealed class ChargeScheduleTests
{
    [Test]
    public void DueBy_TermPricedMonthlyLine_BillsOneTwelfthPerMonthNotTheTermPrice()
    {
        // Arrange: CPQ prices the whole 12-month term at 1,200.00.
        var line = new LineBuilder().Build();

        // Act
        var charges = Due(line, new DateOnly(2026, 3, 15));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(charges.Select(c => c.Period.Start), Is.EqualTo(new[] { new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1) }));
            Assert.That(charges.Select(c => c.Net.MinorUnits), Is.All.EqualTo(10_000));
            Assert.That(charges.Select(c => c.ProrationFactor), Is.All.EqualTo(1m));
        }
    }

    [Test]
    public void DueBy_MidMonthStart_BillsLeadingPartialPeriodMonthlyDaily()
    {
        // Arrange
        var line = new LineBuilder().WithTerm(new DateOnly(2026, 1, 15), new DateOnly(2027, 1, 14)).Build();

        // Act
        var first = Due(line, new DateOnly(2026, 1, 15)).Single();

        // Assert: 17 of January's 31 days of a 100.00 month.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Period, Is.EqualTo(new BillingPeriod(new DateOnly(2026, 1, 15), new DateOnly(2026, 1, 31))));
            Assert.That(first.ProrationFactor, Is.EqualTo(0.548387097m));
            Assert.That(first.Net.MinorUnits, Is.EqualTo(5_484));
        }
    }

    [TestCase("2026-01-15", "2027-01-14", nameof(BillingFrequency.Monthly), "1200.00")]
    [TestCase("2026-02-28", "2027-02-27", nameof(BillingFrequency.Monthly), "999.99")]
    [TestCase("2026-01-31", "2026-07-30", nameof(BillingFrequency.Monthly), "600.00")]
    [TestCase("2026-03-10", "2028-03-09", nameof(BillingFrequency.Annual), "7777.77")]
    [TestCase("2026-05-17", "2027-05-16", nameof(BillingFrequency.Quarterly), "1000.01")]
    [TestCase("2024-02-29", "2025-02-28", nameof(BillingFrequency.Semiannual), "365.00")]
    public void DueBy_WholeTerm_PiecesSumToTotalWithinOneCentPerPiece(string start, string end, string frequencyName, string total)
    {
        var frequency = Enum.Parse<BillingFrequency>(frequencyName);

        // Arrange
        var totalPrice = decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture);
        var line = new LineBuilder().WithFrequency(frequency).WithTotal(totalPrice)
            .WithTerm(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture)).Build();

        // Act
        var charges = Due(line, line.EndDate!.Value);

        // Assert
        var billed = charges.Sum(c => c.Net.MinorUnits);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Math.Abs(billed - (long)(totalPrice * 100)), Is.LessThanOrEqualTo(charges.Count));
            Assert.That(charges[^1].Period.End, Is.EqualTo(line.EndDate));
            Assert.That(charges.Zip(charges.Skip(1)).All(p => p.First.Period.End.AddDays(1) == p.Second.Period.Start), Is.True, "pieces are contiguous");
        }
    }

    [Test]
    public void DueBy_OneTimeLine_BillsTotalOnceOnItsStartDate()
    {
        var line = new LineBuilder().OneTime(2_500m).WithTerm(new DateOnly(2026, 4, 10), null).Build();

        var before = Due(line, new DateOnly(2026, 4, 9));
        var after = Due(line, new DateOnly(2027, 4, 9));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Empty);
            Assert.That(after.Single().Net.MinorUnits, Is.EqualTo(250_000));
            Assert.That(after.Single().Period, Is.EqualTo(new BillingPeriod(new DateOnly(2026, 4, 10), new DateOnly(2026, 4, 10))));
        }
    }

    [Test]
    public void DueBy_EvergreenLine_PricesPerMonthTimesFrequency()
    {
        // An evergreen line's price is per month; quarterly billing charges three months.
        var line = new LineBuilder().WithFrequency(BillingFrequency.Quarterly).WithTotal(50m).WithTerm(new DateOnly(2026, 1, 1), null).Build();

        var charges = Due(line, new DateOnly(2026, 4, 1));

        Assert.That(charges.Select(c => c.Net.MinorUnits), Is.EqualTo(new long[] { 15_000, 15_000 }));
    }

    [Test]
    public void DueBy_ArrearsLine_BillsOnlyEndedPeriods()
    {
        var line = new LineBuilder().WithTiming(BillingTiming.Arrears).Build();

        var charges = Due(line, new DateOnly(2026, 3, 15));

        Assert.That(charges.Select(c => c.Period.End), Is.EqualTo(new[] { new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28) }));
    }

    [TestCase("2026-03-15", nameof(BillingTiming.Advance), "2026-04-01")]
    [TestCase("2026-12-01", nameof(BillingTiming.Advance), null)]
    [TestCase("2026-03-15", nameof(BillingTiming.Arrears), "2026-04-01")]
    [TestCase("2025-12-31", nameof(BillingTiming.Advance), "2026-01-01")]
    public void NextBillingDate_AfterARun_IsTheNextUnbilledPeriodsBillingDay(string runDate, string timingName, string? expected)
    {
        var timing = Enum.Parse<BillingTiming>(timingName);

        var line = new LineBuilder().WithTiming(timing).Build();

        var next = ChargeSchedule.NextBillingDate(line.Terms(), ScheduleSettings.Default, DateOnly.Parse(runDate, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(next, Is.EqualTo(expected is null ? (DateOnly?)null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void NextBillingDate_OneTimeLineAlreadyBilled_IsNull()
    {
        var line = new LineBuilder().OneTime(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build();

        Assert.That(ChargeSchedule.NextBillingDate(line.Terms(), ScheduleSettings.Default, new DateOnly(2026, 1, 1)), Is.Null);
    }

    [Test]
    public void DueBy_ExplicitSubscriptionTerm_UsesItInThePeriodPrice()
    {
        // 24-month term at 2,400.00 billed monthly: 100.00, whatever the dates.
        var line = new LineBuilder().WithTotal(2_400m).WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31), termMonths: 24).Build();

        var charge = Due(line, new DateOnly(2026, 1, 1)).Single();

        Assert.That(charge.Net.MinorUnits, Is.EqualTo(10_000));
    }

    [Test]
    public void Terms_QuantityZero_BillNothing_WhateverTheTotalPriceSays()
    {
        // A quantity set to 0 in the org, its total price left as it was: zero units bill zero, recurring or one-time.
        var recurring = new LineBuilder().WithTotal(1_200m).Build() with { Quantity = 0m };
        var oneTime = new LineBuilder().OneTime(500m).Build() with { Quantity = 0m };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recurring.Terms().PeriodAmount, Is.Zero);
            Assert.That(Due(recurring, new DateOnly(2026, 3, 1)).Select(c => c.Net.MinorUnits), Is.All.Zero);
            Assert.That(oneTime.Terms().PeriodAmount, Is.Zero);
            Assert.That(new LineBuilder().WithTotal(1_200m).Build().Terms().PeriodAmount, Is.Positive, "a line with units bills its price");
        }
    }

    private static List<Charge> Due(BillableLine line, DateOnly target)
    {
        var terms = line.Terms();
        return [.. ChargeSchedule.DueBy(terms, ScheduleSettings.Default, target).Select(p => new Charge(p.Period, p.Factor, ChargeSchedule.Net(terms, p.Factor, Currency.Eur)))];
    }

    private sealed record Charge(BillingPeriod Period, decimal ProrationFactor, Amount Net);
}
