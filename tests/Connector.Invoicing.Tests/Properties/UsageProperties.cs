using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Usage;
using FsCheck;
using FsCheck.Fluent;

namespace Connector.Invoicing.Tests.Properties;

/// <summary>The usage contract's invariants (docs/scenario-format.md, usage section), on generated schedules and histories.</summary>
[TestFixture]
public sealed class UsageProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<ConsumptionSchedule> Schedules =
        from type in Gen.Elements(ConsumptionType.Range, ConsumptionType.Slab)
        from widths in Gen.Choose(0, 3).SelectMany(n => Gen.Choose(1, 200).ListOf(n))
        from prices in Gen.Choose(0, 2_000).ListOf(widths.Count + 1)
        from methods in Gen.Elements(PricingMethod.PerUnit, PricingMethod.PerUnit, PricingMethod.FlatFee).ListOf(widths.Count + 1)
        from firstLower in Gen.Elements(0L, 1L)
        select Schedule(type, firstLower, [.. widths], [.. prices.Select(p => p / 100m)], [.. methods]);

    [Test]
    public void Slab_WithFallingPerUnitRates_NeverCostsMoreThanEveryUnitAtTheFirstRate()
    {
        var cases = from widths in Gen.Choose(1, 4).SelectMany(n => Gen.Choose(1, 500).ListOf(n))
                    from cents in Gen.Choose(1, 100_000).ListOf(widths.Count + 1)
                    from quantity in Gen.Choose(0, 5_000_000)
                    select (widths, prices: cents.Select(c => c / 1000m).OrderDescending().ToList(), quantity: quantity / 1000m);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var slab = Schedule(ConsumptionType.Slab, 1, [.. c.widths], c.prices, [.. c.prices.Select(_ => PricingMethod.PerUnit)]);
            var rating = slab.Rate(c.quantity);
            return rating.Exact <= c.quantity * c.prices[0] && rating.Tiers.Sum(t => t.Quantity) == c.quantity;
        }));
    }

    [Test]
    public void Runs_RepeatedOnTheSameTarget_BillNothingNew()
    {
        var cases = from schedule in Schedules
                    from usage in Gen.Choose(0, 12).SelectMany(n => Gen.Choose(0, 400).ListOf(n))
                    from days in Gen.Choose(0, 120).ListOf(usage.Count)
                    from target in Gen.Choose(1, 150)
                    select (schedule, usage: usage.Zip(days).ToList(), target);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var book = Book(c.schedule);
            var reportedOn = Start.AddDays(150);
            for (var i = 0; i < c.usage.Count; i++)
            {
                book.ReportUsage(new UsageRecord($"U{i}", "L1", Start.AddDays(c.usage[i].Second), c.usage[i].First));
            }

            var target = Start.AddDays(c.target);
            book.Run(reportedOn, target);
            var again = book.Run(reportedOn.AddDays(1), target);
            return again.Invoices.Count == 0 && again.CreditNotes.Count == 0;
        }));
    }

    [Test]
    public void LateLinesAndCredits_AddUpToTheRatingOfEachPeriodsFinalTotal()
    {
        var events = from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
                     from quantity in Gen.Choose(1, 300)
                     from day in Gen.Choose(0, 119)
                     select (kind, quantity, day);
        var cases = from schedule in Schedules
                    from history in Gen.Choose(1, 40).SelectMany(n => events.ListOf(n))
                    select (schedule, history);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // A history: usage reported day by day (kind 0), corrections (kind 1) and monthly runs (kind 2), then a final run.
            var book = Book(c.schedule);
            var today = Start;
            var id = 0;
            foreach (var (kind, quantity, day) in c.history)
            {
                today = today.AddDays(3);
                var consumed = Start.AddDays(day) < today ? Start.AddDays(day) : today;
                try
                {
                    _ = kind switch
                    {
                        0 => book.ReportUsage(new UsageRecord($"U{id++}", "L1", consumed, quantity)),
                        1 => book.ReportUsage(new UsageRecord($"U{id++}", "L1", consumed, -quantity)),
                        _ => book.Run(today, today).Invoices.Count > 0,
                    };
                }
                catch (BillingRuleException)
                {
                    // A correction below a period's zero is refused before it changes anything.
                }
            }

            var end = Start.AddDays(200);
            book.Run(end, end);
            var billed = book.Ledger.Invoices.SelectMany(i => i.Lines).Select(l => (l.Period.Start, l.Net.MinorUnits))
                .Concat(book.Ledger.CreditNotes.SelectMany(n => n.Lines).Select(l => (l.Period.Start, -l.Net.MinorUnits)))
                .GroupBy(x => x.Start).ToDictionary(g => g.Key, g => g.Sum(x => x.Item2));
            var records = book.UsageReports.Where(r => r.DuplicateOf is null).Select(r => r.Record).ToList();
            for (var month = Start; month < end.AddMonths(-1); month = month.AddMonths(1))
            {
                var total = records.Where(r => r.Date >= month && r.Date < month.AddMonths(1)).Sum(r => r.Quantity);
                var due = Amount.Round(c.schedule.Rate(total).Exact, Currency.Eur).MinorUnits;
                if (billed.GetValueOrDefault(month) != due)
                {
                    return false;
                }
            }

            return book.UsageReports.All(r => book.StatusOf(r).State == UsageState.Billed);
        }));
    }

    private static readonly DateOnly Start = new(2024, 1, 1);

    private static BillingBook Book(ConsumptionSchedule schedule)
    {
        var book = new BillingBook(new BookSettings());
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.AddOrder("A1", "O1", [new NewLine { Id = "L1", Product = "Calls", ChargeType = ChargeType.Usage, UnitPrice = 0m, Quantity = 0m, Start = Start, Consumption = schedule }]);
        return book;
    }

    private static ConsumptionSchedule Schedule(ConsumptionType type, long firstLower, IReadOnlyList<int> widths, IReadOnlyList<decimal> prices, IReadOnlyList<PricingMethod> methods)
    {
        var rates = new List<(long, long?, decimal, PricingMethod)>();
        var lower = firstLower;
        for (var i = 0; i <= widths.Count; i++)
        {
            long? upper = i < widths.Count ? Math.Max(lower, 1) + widths[i] - 1 : null;
            rates.Add((lower, upper, prices[i], methods[i]));
            lower = (upper ?? 0) + 1;
        }

        return ConsumptionSchedule.Create(type, 1, null, null, rates);
    }
}
