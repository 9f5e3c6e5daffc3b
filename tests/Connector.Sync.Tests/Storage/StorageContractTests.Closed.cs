using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Tests.Schedules;
using Dapper;

namespace Connector.Sync.Tests.Storage;

/// <summary>A run's load leaves invoices closed in the store (unpaid for good, untouched) and counts their sums, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task LoadForARun_OldUntouchedInvoices_StayInTheStore_AndTheAccountsFiguresAreAFullLoads()
    {
        // Arrange: A1 is billed every month from January to September and pays nothing but one old invoice's part;
        // A2, billed the same, pays nothing.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTotal(70m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        var day = Today;
        await Runner().RunAsync(day, dryRun: false, CancellationToken.None);
        for (var month = 4; month <= 9; month++)
        {
            day = new DateOnly(2026, month, 1);
            _time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
            if (month == 8)
            {
                await using var read = await _db.Database.OpenAsync(CancellationToken.None);
                var oldest = await read.ExecuteScalarAsync<string>("SELECT MIN(number) FROM invoice WHERE account_id = 'A1'");
                await IngestPaymentsAsync(new IncomingPayment("a1P1", "A1", 10m, day, oldest, Reversed: false));
                await new PaymentApplier(_db.Database, Books(), Journal()).ApplyPendingAsync(day, CancellationToken.None);
            }

            await Runner().RunAsync(day, dryRun: false, CancellationToken.None);
        }

        // Act: what the next run loads, beside a load of everything.
        var on = day.AddDays(20);
        var run = await Books().LoadAsync(["A1", "A2"], null, openEntriesOnly: true, closedOn: on, CancellationToken.None);
        var whole = await Books().LoadAsync(["A1", "A2"], CancellationToken.None);

        // Assert
        var left = whole.Book.Ledger.Invoices.Select(i => i.Number).Except(run.Book.Ledger.Invoices.Select(i => i.Number)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(left, Is.Not.Empty, "invoices due more than 90 days ago stay in the store");
            Assert.That(whole.Book.Ledger.Invoices.Where(i => left.Contains(i.Number)).Select(i => i.DueDate), Has.All.LessThan(on.AddDays(-90)));
            Assert.That(run.Book.Ledger.Invoices.Select(i => i.Number), Does.Contain(whole.Book.Ledger.Allocations.Single().InvoiceNumber), "the invoice a payment touched loads, however old");
            Assert.That(run.Book.Ledger.AccountBalances(["A1", "A2"], on), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1", "A2"], on)), "the same figures");
            Assert.That(run.Book.Ledger.AccountBalance("A2", Currency.Eur, on).Aging.Over90.IsPositive, Is.True);
        }
    }
}
