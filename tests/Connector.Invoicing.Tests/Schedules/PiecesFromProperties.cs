using Connector.Invoicing.Schedules;
using FsCheck;
using FsCheck.Fluent;

namespace Connector.Invoicing.Tests.Schedules;

/// <summary>
/// A schedule read from a day (what a run reads for an account whose earlier pieces are settled) is the full
/// schedule less some pieces at its start, all ending before that day: every piece a run can still need is there, the same.
/// </summary>
[TestFixture]
public sealed class PiecesFromProperties
{
    [Test]
    public void Pieces_FromAnyDay_AreASuffixOfTheFullScheduleHoldingEveryPieceEndingOnOrAfterIt()
    {
        var cases =
            from frequency in Gen.Elements(BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Semiannual, BillingFrequency.Annual)
            from timing in Gen.Elements(BillingTiming.Advance, BillingTiming.Arrears)
            from startDay in Gen.Choose(0, 800)
            from gridBack in Gen.Choose(0, 400)
            from length in Gen.Choose(-1, 1500)
            from billingDay in Gen.Choose(1, 31)
            from fromDay in Gen.Choose(-100, 2500)
            let start = new DateOnly(2024, 1, 1).AddDays(startDay)
            select (Terms: ChargeTerms.PerUnit("802", ChargeType.Recurring, frequency, timing, start, length < 0 ? null : start.AddDays(length), 2m, 50m,
                    gridBack % 3 == 0 ? start.AddDays(-gridBack) : null),
                Settings: new ScheduleSettings(billingDay), From: start.AddDays(fromDay));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3_000), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // An evergreen schedule is endless: both are compared up to a bound past the day.
            var bound = c.From.AddYears(3);
            var full = ChargeSchedule.Pieces(c.Terms, c.Settings).TakeWhile(p => p.Whole.Start <= bound).ToList();
            var from = ChargeSchedule.Pieces(c.Terms, c.Settings, c.From).TakeWhile(p => p.Whole.Start <= bound).ToList();
            var skipped = full.Count - from.Count;
            return skipped >= 0
                && full.Skip(skipped).SequenceEqual(from)
                && full.Take(skipped).All(p => p.Whole.End < c.From);
        }));
    }
}
