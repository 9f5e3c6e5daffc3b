using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;
using FsCheck;
using FsCheck.Fluent;

namespace Connector.Invoicing.Tests.Properties;

/// <summary>The invariants of design.md, checked on generated inputs (FsCheck, 300 cases each, a fixed replay seed printed on failure).</summary>
[TestFixture]
public sealed class BillingProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<DateOnly> Dates = Gen.Choose(0, 365 * 8).Select(d => new DateOnly(2022, 1, 1).AddDays(d));

    private static readonly Gen<BillingFrequency> Frequencies = Gen.Elements(BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Semiannual, BillingFrequency.Annual);

    private static readonly Gen<ScheduleSettings> AdditiveSettings =
        Gen.Choose(1, 31).SelectMany(day => Gen.Elements(ProrationMethod.MonthlyDaily, ProrationMethod.Daily).Select(p => new ScheduleSettings(day, p)));

    [Test]
    public void Pieces_OfAnyPeriodCutAnywhere_SumToTheWholeWithinOneMinorUnitPerPiece()
    {
        var cases = from settings in AdditiveSettings
                    from frequency in Frequencies
                    from start in Dates
                    from offset in Gen.Choose(1, 400)
                    from cents in Gen.Choose(1, 5_000_000)
                    select (settings, frequency, start, offset, price: cents / 100m);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            // A line from 'start' is cut by a cancellation at some day of a later period.
            var whole = ChargeTerms.PerUnit("L", ChargeType.Recurring, c.frequency, BillingTiming.Advance, c.start, null, 1m, c.price);
            var period = ChargeSchedule.Pieces(whole, c.settings).Skip(1).First().Whole;
            var cut = period.Start.AddDays(1 + (c.offset % (period.Days - 1)));
            var left = Proration.Factor(new BillingPeriod(period.Start, cut.AddDays(-1)), period, (int)c.frequency, c.settings);
            var right = Proration.Factor(new BillingPeriod(cut, period.End), period, (int)c.frequency, c.settings);
            var pieces = Amount.Round(c.price * left, Currency.Eur) + Amount.Round(c.price * right, Currency.Eur);
            return Math.Abs(left + right - 1m) <= 0.000000002m && Math.Abs(pieces.MinorUnits - Amount.Round(c.price, Currency.Eur).MinorUnits) <= 2;
        }));
    }

    [Test]
    public void Pieces_OfAWholeTerm_AreContiguousAndEachPeriodSumsToItsPrice()
    {
        var cases = from settings in AdditiveSettings
                    from frequency in Frequencies
                    from start in Dates
                    from days in Gen.Choose(1, 1500)
                    select (settings, frequency, start, end: start.AddDays(days));
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var terms = ChargeTerms.PerUnit("L", ChargeType.Recurring, c.frequency, BillingTiming.Advance, c.start, c.end, 3m, 33.33m);
            var pieces = ChargeSchedule.Pieces(terms, c.settings).ToList();
            var contiguous = pieces[0].Period.Start == c.start && pieces[^1].Period.End == c.end
                && pieces.Zip(pieces.Skip(1)).All(p => p.First.Period.End.AddDays(1) == p.Second.Period.Start);
            var wholesPriced = pieces.Where(p => p.Period == p.Whole).All(p => p.Factor == 1m);
            var factorsInRange = pieces.All(p => p.Factor > 0m && p.Factor <= 1m);
            return contiguous && wholesPriced && factorsInRange;
        }));
    }

    [Test]
    public void Installments_OfAnyPlanAndTotal_SumExactlyToTheTotal()
    {
        var plans = from count in Gen.Choose(1, 6)
                    from cuts in Gen.Choose(1, 99).ListOf(count - 1)
                    from cents in Gen.Choose(0, int.MaxValue)
                    from currency in Gen.Elements(Currency.Eur, Currency.Of("JPY"), Currency.Of("KWD"))
                    select (bounds: cuts.Distinct().Order().Append(100).ToList(), cents, currency);
        Check.One(Quick, Prop.ForAll(plans.ToArbitrary(), p =>
        {
            var percents = p.bounds.Select((b, i) => (decimal)(b - (i == 0 ? 0 : p.bounds[i - 1]))).ToList();
            var terms = PaymentTerms.Installments([.. percents.Select((percent, i) => new InstallmentRule(percent, i * 30))]);
            var total = Amount.FromMinorUnits(p.cents, p.currency);
            var installments = terms.Schedule(new DateOnly(2024, 1, 1), total);
            return Amount.Sum(installments.Select(i => i.Amount), p.currency) == total && installments.All(i => !i.Amount.IsNegative);
        }));
    }

    [Test]
    public void Runs_RepeatedOrOverlappingWithACancellation_ChargeEachPieceExactlyWhatItsScheduleSays()
    {
        var cases = from lines in LineGen.NonEmptyListOf()
                    from runs in Dates.NonEmptyListOf()
                    from cancelled in Gen.Choose(0, 5)
                    from effective in Dates
                    select (lines: lines.Take(6).DistinctBy(l => l.Id).ToList(), runs: runs.Take(8).Order().ToList(), cancelled, effective);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var book = BookWith(c.lines);
            var half = c.runs.Count / 2;
            foreach (var run in c.runs.Take(half))
            {
                book.Run(run, run);
            }

            var line = c.lines[c.cancelled % c.lines.Count];
            book.Cancel(line.Id, c.effective);
            foreach (var run in c.runs.Skip(half))
            {
                book.Run(run, run);
            }

            var last = c.runs[^1];
            book.Run(last, last);
            var again = c.runs.Select(r => book.Run(last, r)).ToList();
            var charged = book.Ledger.Invoices.Sum(i => i.Net.MinorUnits) - book.Ledger.CreditNotes.Sum(n => n.Net.MinorUnits);
            var due = c.lines.Sum(l =>
            {
                var end = l.ChargeType == ChargeType.OneTime ? l.Start : l.End;
                if (l.Id == line.Id && (end is null || end >= c.effective))
                {
                    end = c.effective.AddDays(-1);
                }

                var terms = ChargeTerms.PerUnit(l.Id, l.ChargeType, l.ChargeType == ChargeType.OneTime ? null : l.Frequency, l.Timing, l.Start, end, l.Quantity, l.UnitPrice);
                return ChargeSchedule.DueBy(terms, ScheduleSettings.Default, last).Sum(p => ChargeSchedule.Net(terms, p.Factor, Currency.Eur).MinorUnits);
            });
            var billedOnce = book.Ledger.Invoices.SelectMany(i => i.Lines).GroupBy(l => (l.OrderLineId, l.Period.Start)).All(g => g.Count() == 1);
            return again.All(r => r.Invoices.Count == 0 && r.CreditNotes.Count == 0) && billedOnce && charged == due;
        }));
    }

    [Test]
    public void Forecast_PerMonth_EqualsWhatMonthEndRunsBill()
    {
        var cases = from lines in LineGen.NonEmptyListOf()
                    from day in Dates
                    from months in Gen.Choose(1, 18)
                    select (lines: lines.Take(6).ToList(), first: new DateOnly(day.Year, day.Month, 1), months);
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var book = BookWith(c.lines);
            var forecast = book.Forecast(c.first, c.months, byAccount: false);
            var billed = Enumerable.Range(0, c.months).Select(i =>
            {
                var monthEnd = c.first.AddMonths(i + 1).AddDays(-1);
                return book.Run(monthEnd, monthEnd).Invoices.Sum(inv => inv.Net.MinorUnits);
            }).ToList();
            return forecast.Select(f => f.Net.MinorUnits).SequenceEqual(billed);
        }));
    }

    [Test]
    public void Ledger_AfterAnySequenceOfReceivablesEvents_NeverDrifts()
    {
        var operations = (from kind in Gen.Choose(0, 7) from cents in Gen.Choose(1, 40_000) from pick in Gen.Choose(0, 5) select (kind, cents, pick)).ListOf();
        Check.One(Quick, Prop.ForAll(operations.ToArbitrary(), ops =>
        {
            var book = BookWith([Line("L1", ChargeType.OneTime, null, 12_345), Line("L2", ChargeType.Recurring, BillingFrequency.Monthly, 9_999)]);
            var day = new DateOnly(2022, 1, 1);
            foreach (var (kind, cents, pick) in ops.Take(40))
            {
                day = day.AddDays(3);
                var amount = Amount.FromMinorUnits(cents, Currency.Eur);
                var invoices = book.Ledger.Invoices.OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
                var invoice = invoices.Count > 0 ? invoices[pick % invoices.Count].Number : "INV-000001";
                try
                {
                    _ = kind switch
                    {
                        0 => (object)book.Run(day, day),
                        1 => (object)book.Ledger.RecordPayment($"P{book.Ledger.Payments.Count + 1}", "A1", day, amount, null),
                        2 => (object)book.IssueCreditNote(day, invoice, "test", [(1, amount)]),
                        3 => (object)book.Ledger.OpenDispute($"D{book.Ledger.Disputes.Count + 1}", invoice, null, amount, day, null),
                        4 => (object)book.ResolveDispute(day, $"D{book.Ledger.Disputes.Count}", pick % 2 == 0 ? DisputeOutcome.Accepted : DisputeOutcome.Rejected),
                        5 => (object)book.Ledger.ApplyCredit("A1", invoice, null, null, day),
                        6 => Reverse(book, $"P{1 + (pick % Math.Max(1, book.Ledger.Payments.Count))}", day),
                        _ => (object)Refund(book, amount, day),
                    };
                }
                catch (BillingRuleException)
                {
                    // Refused requests change nothing; the invariants below must still hold.
                }

                if (!Consistent(book, day))
                {
                    return false;
                }
            }

            return true;
        }));
    }

    private static bool Reverse(BillingBook book, string payment, DateOnly day)
    {
        book.Ledger.ReversePayment(payment, day);
        return true;
    }

    private static bool Refund(BillingBook book, Amount amount, DateOnly day)
    {
        book.Ledger.RefundCredit("A1", null, amount, day);
        return true;
    }

    private static bool Consistent(BillingBook book, DateOnly day)
    {
        var ledger = book.Ledger;
        var zero = Amount.Zero(Currency.Eur);
        var balances = ledger.Invoices.Select(i => ledger.BalanceOf(i, day)).ToList();
        var account = ledger.AccountBalance("A1", Currency.Eur, day);
        return balances.All(b => b.Balance >= zero && b.Paid + b.Credited <= b.Payable)
            && ledger.CreditNotes.All(n => ledger.UsageOf(n).Available >= zero)
            && ledger.Payments.All(p => ledger.UsageOf(p).Unapplied >= zero)
            && account.Balance == Amount.Sum(balances.Select(b => b.Balance), Currency.Eur) - account.UnappliedCredit
            && account.Aging.Total <= Amount.Sum(balances.Select(b => b.Balance), Currency.Eur);
    }

    private static readonly Gen<NewLine> LineGen =
        from id in Gen.Choose(1, 1_000_000)
        from charge in Gen.Elements(ChargeType.OneTime, ChargeType.Recurring, ChargeType.Recurring)
        from frequency in Frequencies
        from timing in Gen.Elements(BillingTiming.Advance, BillingTiming.Arrears)
        from start in Dates
        from length in Gen.Choose(-1, 900)
        from cents in Gen.Choose(1, 1_000_000)
        select new NewLine
        {
            Id = $"L{id}", Product = "P", ChargeType = charge, Frequency = frequency, Timing = timing, UnitPrice = cents / 100m, Quantity = 1m,
            Start = start, End = length < 0 ? null : start.AddDays(length),
        };

    private static NewLine Line(string id, ChargeType charge, BillingFrequency? frequency, int cents) =>
        new()
        {
            Id = id, Product = id, ChargeType = charge, Frequency = frequency, UnitPrice = cents / 100m, Quantity = 1m,
            Start = new DateOnly(2022, 1, 1), TaxRate = 21m,
        };

    private static BillingBook BookWith(IReadOnlyList<NewLine> lines)
    {
        var book = new BillingBook(new BookSettings());
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.AddOrder("A1", "O1", [.. lines.DistinctBy(l => l.Id)]);
        return book;
    }
}
