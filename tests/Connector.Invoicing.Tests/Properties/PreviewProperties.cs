using Connector.Storage;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Storage;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Invoicing.Tests.Properties;

/// <summary>
/// The preview is the run: for generated orders (frequencies, timings, starts, ends, holds, next billing dates,
/// billing days, installment plans) and run dates, what <c>mappings explain</c> previews is exactly what a dry run
/// on the stored order would post: the same lines, periods, amounts and installments. 40 cases on a SQLite file.
/// </summary>
[TestFixture]
public sealed class PreviewProperties
{
    [Test]
    public void Preview_AnyOrderAndDate_EqualsTheDryRunOfTheStoredOrder()
    {
        var lines = from frequency in Gen.Elements(BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Annual)
                    from timing in Gen.Elements(BillingTiming.Advance, BillingTiming.Arrears)
                    from startDay in Gen.Choose(0, 200)
                    from months in Gen.Choose(0, 24)
                    from hold in Gen.Choose(0, 9)
                    from deferDays in Gen.Choose(-1, 120)
                    from quantity in Gen.Choose(1, 5)
                    from price in Gen.Choose(100, 50_000)
                    select (frequency, timing, startDay, months, hold: hold == 0, deferDays, quantity, price);
        var cases = from count in Gen.Choose(1, 4)
                    from specs in lines.ListOf(count)
                    from billingDay in Gen.Choose(0, 31)
                    from plan in Gen.Elements<string?>(null, "30%/15d, 70%/45d", "50%/0d, 50%/30d")
                    from runDay in Gen.Choose(0, 480)
                    select (specs: specs.ToList(), billingDay, plan, runDay);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(cases.ToArbitrary(), c => Holds(c.specs, c.billingDay, c.plan, c.runDay).GetAwaiter().GetResult()));
    }

    private static async Task<bool> Holds(
        List<(BillingFrequency Frequency, BillingTiming Timing, int StartDay, int Months, bool Hold, int DeferDays, int Quantity, int Price)> specs,
        int billingDay, string? plan, int runDay)
    {
        var origin = new DateOnly(2026, 1, 1);
        var account = new BillingAccount("001A", "Acme SL", Country: "ES", BillingDayOfMonth: billingDay == 0 ? null : billingDay);
        var header = new OrderHeader("801A", "00000101", "001A", "EUR", 30) { PaymentTerms = plan };
        var lines = specs.Select((s, i) => new BillableLine
        {
            LineId = $"802{i:000000000000000}",
            OrderId = "801A",
            ProductName = $"Product {i}",
            ChargeType = ChargeType.Recurring,
            Frequency = s.Frequency,
            Timing = s.Timing,
            Quantity = s.Quantity,
            TotalPrice = s.Price,
            StartDate = origin.AddDays(s.StartDay),
            EndDate = s.Months == 0 ? null : origin.AddDays(s.StartDay).AddMonths(s.Months).AddDays(-1),
            SubscriptionTermMonths = s.Months == 0 ? 12 : s.Months,
            TaxRatePercent = 21m,
            HoldBilling = s.Hold,
            NextBillingDate = s.DeferDays < 0 ? null : origin.AddDays(s.StartDay + s.DeferDays),
        }).ToList();
        var date = origin.AddDays(runDay);
        var options = new BillingOptions();

        // The preview (what mappings explain prints).
        var preview = InvoiceRunner.Preview(
            [new BillableOrder { OrderId = "801A", OrderNumber = "00000101", Account = account, Currency = Currency.Eur, PaymentTermDays = 30, PaymentTerms = plan, Lines = lines }],
            date, options).Invoices;

        // The dry run of the same order, stored.
        await using var db = TestDatabase.Sqlite();
        var time = new FakeTimeProvider(new DateTimeOffset(date.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        await new Migrator(db.Database, time).MigrateAsync(CancellationToken.None);
        var batch = new OrderChanges { Source = "Order" };
        batch.Accounts.Add(account);
        batch.Orders.Add(header);
        batch.Lines.AddRange(lines);
        await new OrderStore(db.Database, time).SaveAsync(batch, CancellationToken.None);
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var dryRun = (await new InvoiceRunner(new BookStore(db.Database, time, wrapped, new RecordingJournal()), new BillingClock(time, wrapped)).RunAsync(date, dryRun: true, CancellationToken.None)).Invoices;

        static IEnumerable<string> Shape(IReadOnlyList<Connector.Invoicing.Invoices.Invoice> invoices) => invoices.SelectMany(i =>
            i.Lines.Select(l => $"{l.OrderLineId} {l.Description} {l.Period.Start:yyyy-MM-dd}..{l.Period.End:yyyy-MM-dd} {l.ProrationFactor} {l.Net}")
                .Concat(i.DueSchedule.Select(d => $"due {d.DueDate:yyyy-MM-dd} {d.Amount}"))
                .Append($"total {i.Total} due {i.DueDate:yyyy-MM-dd}"));
        return Shape(preview).SequenceEqual(Shape(dryRun));
    }
}
