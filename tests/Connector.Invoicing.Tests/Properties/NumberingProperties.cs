using Connector.Storage;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;
using Connector.Invoicing.Tests.Storage;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Invoicing.Tests.Properties;

/// <summary>
/// Numbering is gapless and every charge is billed once however many runners post at once (on a real SQLite file, and
/// on a real PostgreSQL server when CONNECTOR_TEST_POSTGRES names one): generated accounts, runner counts and target dates, 12 cases.
/// </summary>
[TestFixture]
[NonParallelizable] // each case runs several runners on one database file
public sealed class NumberingProperties
{
    [TestCase(nameof(StorageProvider.Sqlite))]
    [TestCase(nameof(StorageProvider.Postgres))]
    public void ConcurrentRuns_AnyAccountsRunnersAndTargets_NumberGaplesslyAndBillEachChargeOnce(string providerName)
    {
        var provider = Enum.Parse<StorageProvider>(providerName);

        if (provider == StorageProvider.Postgres)
        {
            TestPostgres.ServerOrIgnore();
        }

        var cases = from accounts in Gen.Choose(1, 12)
                    from runners in Gen.Choose(2, 4)
                    from months in Gen.Choose(0, 3).ListOf(4)
                    select (accounts, runners, targets: months.Select(m => new DateOnly(2026, 1, 1).AddMonths(m)).ToList());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), Prop.ForAll(cases.ToArbitrary(), c => Holds(provider, c.accounts, c.runners, c.targets).GetAwaiter().GetResult()));
    }

    private static async Task<bool> Holds(StorageProvider provider, int accounts, int runners, IReadOnlyList<DateOnly> targets)
    {
        await using var db = await TestDatabase.OfAsync(provider);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        await new Migrator(db.Database, time).MigrateAsync(CancellationToken.None);
        var batch = new OrderChanges { Source = "Order" };
        for (var a = 0; a < accounts; a++)
        {
            batch.Accounts.Add(new BillingAccount($"A{a:00}", $"Account {a}"));
            batch.Orders.Add(new OrderHeader($"801{a:00}", $"0{a:00}", $"A{a:00}", "EUR", 30));
            batch.Lines.Add(new LineBuilder().WithId($"802{a:00}").WithOrder($"801{a:00}").Build());
        }

        await new OrderStore(db.Database, time).SaveAsync(batch, CancellationToken.None);
        var options = Microsoft.Extensions.Options.Options.Create(new BillingOptions());
        var clock = new BillingClock(time, options);
        await Task.WhenAll(Enumerable.Range(0, runners).Select(r => Task.Run(async () =>
        {
            var runner = new InvoiceRunner(new BookStore(db.Database, time, options, new RecordingJournal()), clock);
            foreach (var target in targets.Skip(r % targets.Count).Concat(targets.Take(r % targets.Count)))
            {
                await runner.RunAsync(target, dryRun: false, CancellationToken.None);
            }
        })));

        var invoices = await new InvoiceStore(db.Database).ListAsync(CancellationToken.None);
        var numbers = invoices.Select(i => i.Number).Order(StringComparer.Ordinal).ToList();
        var gapless = numbers.SequenceEqual(Enumerable.Range(1, numbers.Count).Select(n => $"INV-{n:000000}"));
        var once = invoices.SelectMany(i => i.Lines).GroupBy(l => (l.OrderLineId, l.Period.Start)).All(g => g.Count() == 1);
        var months = targets.Max().Month;
        return gapless && once && invoices.SelectMany(i => i.Lines).Count() == accounts * months;
    }
}
