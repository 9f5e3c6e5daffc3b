using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Tests.Schedules;
using Dapper;

namespace Connector.Sync.Tests.Storage;

/// <summary>A run's load leaves invoices closed in the store (told overdue, untouched) and counts their sums by aging bucket, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task LoadForARun_OldUntouchedInvoices_StayInTheStore_AndTheAccountsFiguresAreAFullLoads()
    {
        // Arrange: A1 is billed every month from January to September and pays nothing but one old invoice's part;
        // A2, billed the same, pays nothing. The next run is on the 21st: closed invoices fall in every aging bucket.
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
        var aging = run.Book.Ledger.AccountBalance("A2", Currency.Eur, on).Aging;
        var left = whole.Book.Ledger.Invoices.Select(i => i.Number).Except(run.Book.Ledger.Invoices.Select(i => i.Number)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(left, Is.Not.Empty, "invoices that fell due before the last run stay in the store");
            Assert.That(whole.Book.Ledger.Invoices.Where(i => left.Contains(i.Number)).Select(i => i.DueDate), Has.All.LessThan(day));
            Assert.That(run.Book.Ledger.Invoices.Select(i => i.Number), Does.Contain(whole.Book.Ledger.Allocations.Single().InvoiceNumber), "the invoice a payment touched loads, however old");
            Assert.That(run.Book.Ledger.AccountBalances(["A1", "A2"], on), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1", "A2"], on)), "the same figures");
            Assert.That(run.Book.Ledger.AccountBalance("A2", Currency.Eur, on).Aging, Is.EqualTo(whole.Book.Ledger.AccountBalance("A2", Currency.Eur, on).Aging));
            Assert.That(new[] { aging.Days1To30, aging.Days31To60, aging.Days61To90, aging.Over90 }, Has.All.Property("IsPositive").True, "closed invoices in every bucket past due");
            Assert.Throws<InvalidOperationException>(() => run.Book.Ledger.AccountBalance("A2", Currency.Eur, on.AddDays(1)), "closed sums hold for their day only");
        }
    }

    [Test]
    public async Task ARun_AnAnnualPeriodStillOpen_LeavesItsInvoiceInTheStore_UntilTheEngineCreditsIt_ThenLoadsItAfterAll()
    {
        // Arrange: A1 and A2 each pay for 2026 (1,200) in advance and monthly for another line; the first run bills both
        // on 15 March, and monthly runs to August tell the facts, so each first invoice (due on 14 April) is closed, yet
        // the annual line's open period names it. Before April, A2 stores an amendment taking one unit off from September.
        LineBuilder Annual(string id, string order) => new LineBuilder().WithId(id).WithOrder(order).WithFrequency(BillingFrequency.Annual).WithTotal(1_200m);
        var annual = Annual("802Y1", "801A").Build();
        await SeedOrderAsync("A1", "801A", annual, new LineBuilder().WithId("802M1").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        await SeedOrderAsync("A2", "801B", Annual("802Y2", "801B").Build(), new LineBuilder().WithId("802M2").WithOrder("801B").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        var day = Today;
        await Runner().RunAsync(day, dryRun: false, CancellationToken.None);
        await SeedOrderAsync("A2", "801C", Annual("802Y2A", "801C").WithTotal(-400m).WithTerm(new DateOnly(2026, 9, 1), new DateOnly(2026, 12, 31)).Build() with
        {
            RevisesLineId = "802Y2", Quantity = -1,
        });
        for (var month = 4; month <= 8; month++)
        {
            day = new DateOnly(2026, month, 1);
            _time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
            await Runner().RunAsync(day, dryRun: false, CancellationToken.None);
        }

        var whole = await Books().LoadAsync(["A1", "A2"], CancellationToken.None);
        var first = whole.Book.Ledger.Invoices.Where(i => i.IssueDate == Today).ToDictionary(i => i.AccountId, i => i.Number);

        // Act: a run's first load, and the load it falls back to.
        var run = await Books().LoadAsync(["A1", "A2"], null, openEntriesOnly: true, closedOn: day, loadEntryInvoices: false, CancellationToken.None);
        var fallback = await Books().LoadAsync(["A1", "A2"], null, openEntriesOnly: true, closedOn: day, loadEntryInvoices: true, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Book.Ledger.Invoices.Select(i => i.Number), Does.Not.Contain(first["A1"]).And.Not.Contain(first["A2"]), "only a billing entry names them: they stay in the store");
            Assert.Throws<InvoiceInStoreException>(() => run.Book.Ledger.Invoice(first["A1"]), "the engine asking for one learns why it is not there");
            Assert.Throws<BillingRuleException>(() => run.Book.Ledger.Invoice("NO-SUCH-INVOICE"));
            Assert.That(run.Book.Ledger.AccountBalances(["A1", "A2"], day), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1", "A2"], day)), "the same figures");
            Assert.That(fallback.Book.Ledger.Invoices.Select(i => i.Number), Does.Contain(first["A1"]).And.Contain(first["A2"]));
        }

        // Act: A1's annual line ends with August (800 for eight months), an input that changes A1 only.
        await SeedOrderAsync("A1", "801A", annual with { EndDate = new DateOnly(2026, 8, 31), TotalPrice = 800m });
        var changed = await Books().LoadAsync(["A1", "A2"], null, openEntriesOnly: true, closedOn: day, loadEntryInvoices: false, CancellationToken.None);

        // Assert: the account whose inputs changed loads the invoice its entries name at once.
        Assert.That(changed.Book.Ledger.Invoices.Select(i => i.Number), Does.Contain(first["A1"]).And.Not.Contain(first["A2"]));

        // Act: the September run credits both first invoices: A1's loaded at once, A2's (its amendment falls due) after
        // the engine asked for it.
        day = new DateOnly(2026, 9, 1);
        _time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        var september = await Runner().RunAsync(day, dryRun: false, CancellationToken.None);

        // Assert: both credited September to December, at 100 a month, holding nothing.
        var after = await Books().LoadAsync(["A1", "A2"], CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(september.CreditNotes.Select(n => (n.AccountId, n.CorrectsNumber, n.Net.Value)).Order(),
                Is.EqualTo(new[] { ("A1", first["A1"], 400m), ("A2", first["A2"], 400m) }), "one credit note each, correcting the first invoice");
            Assert.That(await Quarantine().OpenAsync(CancellationToken.None), Is.Empty, "no line held");
            Assert.That(after.Book.Ledger.AccountBalances(["A1", "A2"], day).Values.Select(b => b.Single().Credited.Value), Is.EqualTo(new[] { 400m, 400m }), "the figures count them");
        }
    }

    [Test]
    public async Task LoadForARun_ClosedInvoicesDueOnEveryDayBeforeTheFacts_AgeIntoTheBucketsAFullLoadGives()
    {
        // Arrange: A1's facts were told on 2026-06-01; an invoice fell due on each of the 120 days before, one of them
        // partly paid (it loads), one with nothing payable (it loads).
        var told = new DateOnly(2026, 6, 1);
        var sql = Invoicing.Storage.BookSql.For(_db.Database.Provider);
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        {
            for (var day = 1; day <= 120; day++)
            {
                var due = told.AddDays(-day);
                await connection.ExecuteScalarAsync<long>(sql.InsertInvoice, new
                {
                    Number = $"INV-{day:000}", AccountId = "A1", Currency = "EUR", IssueDate = DayText(due.AddDays(-30)), DueDate = DayText(due), Seller = "{}", Buyer = "{}",
                    NetMinor = day == 7 ? 0L : 1_000L + day, TaxMinor = day == 7 ? 0L : 210L, TotalMinor = day == 7 ? 0L : 1_210L + day, PostedAt = "2026-01-01T00:00:00Z",
                    Batch = (string?)null, WithheldMinor = 0L, OrderId = "801A",
                });
            }

            await connection.ExecuteAsync(sql.InsertPayment, new { Id = "P1", AccountId = "A1", Currency = "EUR", ReceivedOn = "2026-05-20", AmountMinor = 500L, RecordedAt = "2026-05-20T00:00:00Z" });
            await connection.ExecuteAsync(sql.InsertAllocation, new { SourceKind = "Payment", SourceId = "P1", AccountId = "A1", InvoiceNumber = "INV-015", AmountMinor = 500L, AllocatedOn = "2026-05-20" });
            await connection.ExecuteAsync("INSERT INTO account_wake (account_id, generation, facts_on) VALUES ('A1', 1, '2026-06-01')");
        }

        // Act and assert: on every day around each bucket's edge, the figures of a run's load are a full load's.
        var whole = await Books().LoadAsync(["A1"], CancellationToken.None);
        foreach (var after in new[] { 0, 1, 2, 15, 29, 30, 31, 45, 59, 60, 61, 89, 90, 91, 150 })
        {
            var on = told.AddDays(after);
            var run = await Books().LoadAsync(["A1"], null, openEntriesOnly: true, closedOn: on, CancellationToken.None);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(run.Book.Ledger.Invoices.Select(i => i.Number), Is.EquivalentTo(new[] { "INV-007", "INV-015" }), "only the touched and the unpayable load");
                Assert.That(run.Book.Ledger.AccountBalances(["A1"], on), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1"], on)), $"figures on {on:yyyy-MM-dd}");
            }
        }
    }

    [Test]
    public async Task SavesOfRuns_KeepAClosedPrefix_AndLaterRunsReadNoOlderInvoice_WithAFullLoadsFigures()
    {
        // Arrange: A1's facts were told on 2026-06-01; an invoice fell due on each of the 120 days before and falls due
        // on each of the 120 days after, one with nothing payable (it never closes), one partly paid (it always loads).
        // No run comes for 150 days, then runs come 1, 30, 61 and 200 days apart, each saving what it loaded.
        var told = new DateOnly(2026, 6, 1);
        var sql = Invoicing.Storage.BookSql.For(_db.Database.Provider);
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        {
            for (var day = -120; day < 120; day++)
            {
                var due = told.AddDays(day);
                var payable = day == -50 ? 0L : 1_000L + day + 200;
                await connection.ExecuteScalarAsync<long>(sql.InsertInvoice, new
                {
                    Number = $"INV-{day + 200:000}", AccountId = "A1", Currency = "EUR", IssueDate = DayText(due.AddDays(-30)), DueDate = DayText(due), Seller = "{}", Buyer = "{}",
                    NetMinor = payable, TaxMinor = 0L, TotalMinor = payable, PostedAt = "2026-01-01T00:00:00Z", Batch = (string?)null, WithheldMinor = 0L, OrderId = "801A",
                });
            }

            await connection.ExecuteAsync(sql.InsertPayment, new { Id = "P1", AccountId = "A1", Currency = "EUR", ReceivedOn = "2026-05-20", AmountMinor = 500L, RecordedAt = "2026-05-20T00:00:00Z" });
            await connection.ExecuteAsync(sql.InsertAllocation, new { SourceKind = "Payment", SourceId = "P1", AccountId = "A1", InvoiceNumber = "INV-100", AmountMinor = 500L, AllocatedOn = "2026-05-20" });
            await connection.ExecuteAsync("INSERT INTO account_wake (account_id, generation, facts_on) VALUES ('A1', 1, '2026-06-01')");
        }

        var whole = await Books().LoadAsync(["A1"], CancellationToken.None);
        var on = told.AddDays(150);
        var loads = new List<(DateOnly On, IReadOnlyList<string> Loaded, bool Same)>();
        foreach (var gap in new[] { 0, 1, 30, 61, 200 })
        {
            // Act: a run's load and its save.
            on = on.AddDays(gap);
            var run = await Books().LoadAsync(["A1"], null, openEntriesOnly: true, closedOn: on, CancellationToken.None);
            loads.Add((on, [.. run.Book.Ledger.Invoices.Select(i => i.Number).Order(StringComparer.Ordinal)],
                run.Book.Ledger.AccountBalances(["A1"], on)["A1"].SequenceEqual(whole.Book.Ledger.AccountBalances(["A1"], on)["A1"])));
            await Books().SaveAsync(run, on, CancellationToken.None);
        }

        // Assert: every run's figures are a full load's; the first reads the 120 invoices that fell due since the facts
        // were told, the others only the two that never close or are touched, and the prefix sums every other invoice.
        await using var read = await _db.Database.OpenAsync(CancellationToken.None);
        var prefix = await read.QuerySingleAsync<(string Through, long PayableMinor, string? OpenSince)>("SELECT through AS Through, payable_minor AS PayableMinor, open_since AS OpenSince FROM closed_prefix WHERE account_id = 'A1'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loads.Select(l => l.Same), Has.All.True, string.Join(", ", loads.Select(l => $"{l.On:yyyy-MM-dd}: {(l.Same ? "same" : "differs")}")));
            Assert.That(loads[0].Loaded, Has.Count.EqualTo(122), "the first run after the facts reads what fell due since, the unpayable and the touched invoice");
            Assert.That(loads.Skip(1).Select(l => l.Loaded), Has.All.EqualTo(new[] { "INV-100", "INV-150" }), "later runs read no closed invoice");
            Assert.That(prefix, Is.EqualTo((DayText(loads[^2].On), whole.Book.Ledger.Invoices.Where(i => i.Number != "INV-150").Sum(i => i.Payable.MinorUnits), (string?)DayText(told.AddDays(-50)))));
        }
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
