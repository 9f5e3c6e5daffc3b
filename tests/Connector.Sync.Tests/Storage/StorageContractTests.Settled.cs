using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Tests.Schedules;
using Dapper;

namespace Connector.Sync.Tests.Storage;

/// <summary>A run's load leaves invoices settled by one payment each in the store with their payments, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task LoadForARun_InvoicesSettledByOnePaymentEach_StayInTheStoreWithTheirPayments_AndWhatTouchesOneLoadsIt()
    {
        // Arrange: A1's facts were told on 2026-06-01. INV-001 to INV-040 fell due on each of the 40 days before, and
        // each is paid in full by its own payment, but for what touches some of them: INV-001's payment was reversed,
        // INV-002's paid 1.00 more and that was refunded, INV-003 is disputed, INV-004 was paid in two halves, one payment
        // paid INV-005 and INV-006, a credit note corrects INV-007, INV-008 falls due after the facts, and a billing
        // entry names INV-009.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        var told = new DateOnly(2026, 6, 1);
        var sql = Invoicing.Storage.BookSql.For(_db.Database.Provider);
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        {
            async Task Pay(string id, long amount, string day, params (string Invoice, long Amount)[] allocations)
            {
                await connection.ExecuteAsync(sql.InsertPayment, new { Id = id, AccountId = "A1", Currency = "EUR", ReceivedOn = day, AmountMinor = amount, RecordedAt = day + "T00:00:00Z" });
                foreach (var (invoice, part) in allocations)
                {
                    await connection.ExecuteAsync(sql.InsertAllocation, new { SourceKind = "Payment", SourceId = id, AccountId = "A1", InvoiceNumber = invoice, AmountMinor = part, AllocatedOn = day });
                }
            }

            for (var n = 1; n <= 40; n++)
            {
                var (number, due, payable) = ($"INV-{n:000}", n == 8 ? told.AddDays(4) : told.AddDays(-n), 1_000L + n);
                await connection.ExecuteScalarAsync<long>(sql.InsertInvoice, new
                {
                    Number = number, AccountId = "A1", Currency = "EUR", IssueDate = DayText(due.AddDays(-30)), DueDate = DayText(due), Seller = "{}", Buyer = "{}",
                    NetMinor = payable, TaxMinor = 0L, TotalMinor = payable, PostedAt = "2026-01-01T00:00:00Z", Batch = (string?)null, WithheldMinor = 0L, OrderId = "801A",
                });
                var paidOn = DayText(due.AddDays(-20));
                switch (n)
                {
                    case 2:
                        await Pay("P-002", payable + 100, paidOn, (number, payable));
                        await connection.ExecuteAsync(sql.InsertRefund, new { SourceKind = "Payment", SourceId = "P-002", AccountId = "A1", Currency = "EUR", AmountMinor = 100L, RefundedOn = paidOn });
                        break;
                    case 4:
                        await Pay("P-004a", payable / 2, paidOn, (number, payable / 2));
                        await Pay("P-004b", payable - (payable / 2), paidOn, (number, payable - (payable / 2)));
                        break;
                    case 5:
                        break;
                    case 6:
                        await Pay("P-005", 1_005L + payable, paidOn, ("INV-005", 1_005L), (number, payable));
                        break;
                    default:
                        await Pay($"P-{n:000}", payable, paidOn, (number, payable));
                        break;
                }
            }

            await connection.ExecuteAsync(sql.InsertPaymentReversal, new { PaymentId = "P-001", ReversedOn = "2026-05-25", RecordedAt = "2026-05-25T00:00:00Z" });
            await connection.ExecuteAsync(sql.InsertDispute, new { Id = "D1", AccountId = "A1", InvoiceNumber = "INV-003", LineNumber = (int?)null, AmountMinor = 300L, OpenedOn = "2026-05-25", Reason = "late" });
            await connection.ExecuteScalarAsync<long>(sql.InsertCreditNote, new
            {
                Number = "CN-001", AccountId = "A1", Currency = "EUR", IssueDate = "2026-05-26", CorrectsInvoiceId = (long?)null, CorrectsNumber = "INV-007", CorrectsIssueDate = "2026-04-24",
                Reason = "discount", NetMinor = 200L, TaxMinor = 0L, WithheldMinor = 0L, TotalMinor = 200L, PostedAt = "2026-05-26T00:00:00Z",
            });
            await connection.ExecuteAsync(sql.InsertBillingEntry, new
            {
                LineId = "802A", PieceStart = "2026-04-01", PeriodStart = "2026-04-01", PeriodEnd = "2026-04-30", WholeStart = "2026-04-01", WholeEnd = "2026-04-30", Factor = "1",
                NetMinor = 1_009L, DocumentNumber = "INV-009", DocumentLine = 1, InvoiceNumber = "INV-009", IsInvoice = 1,
            });
            await connection.ExecuteAsync("UPDATE account_wake SET facts_on = '2026-06-01' WHERE account_id = 'A1'");
        }

        var whole = await Books().LoadAsync(["A1"], CancellationToken.None);
        var touched = new[] { "INV-001", "INV-002", "INV-003", "INV-004", "INV-005", "INV-006", "INV-007", "INV-008", "INV-009" };
        var loads = new List<(DateOnly On, IReadOnlyList<string> Invoices, IReadOnlyList<string> Payments, bool Same)>();
        foreach (var on in new[] { told, told.AddDays(29), told.AddDays(61), told.AddDays(200), told.AddDays(201) })
        {
            // Act: a run's load on each day, and its save (which keeps a closed prefix from the fourth on).
            var run = await Books().LoadAsync(["A1"], null, openEntriesOnly: true, closedOn: on, CancellationToken.None);
            loads.Add((on, [.. run.Book.Ledger.Invoices.Select(i => i.Number).Order(StringComparer.Ordinal)], [.. run.Book.Ledger.Payments.Select(p => p.Id).Order(StringComparer.Ordinal)],
                run.Book.Ledger.AccountBalances(["A1"], on)["A1"].SequenceEqual(whole.Book.Ledger.AccountBalances(["A1"], on)["A1"])));
            await Books().SaveAsync(run, on, CancellationToken.None);
        }

        // Assert
        var figures = whole.Book.Ledger.AccountBalances(["A1"], told)["A1"].Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loads.Select(l => l.Same), Has.All.True, string.Join(", ", loads.Select(l => $"{l.On:yyyy-MM-dd}: {(l.Same ? "same" : "differs")}")));
            Assert.That(loads.Take(2).Select(l => l.Invoices), Has.All.EqualTo(touched), "the settled invoices stay in the store; the touched ones load");
            Assert.That(loads.Take(2).Select(l => l.Payments), Has.All.EqualTo(new[] { "P-001", "P-002", "P-003", "P-004a", "P-004b", "P-005", "P-007", "P-008", "P-009" }),
                "the settled invoices' payments stay in the store with them; INV-009's loads with its invoice");
            Assert.That(loads.Skip(2).Select(l => l.Invoices), Has.All.EqualTo(touched.Where(n => n != "INV-008")), "once its facts are told after it fell due, INV-008 is settled too");
            Assert.That(loads.Skip(2).Select(l => l.Payments), Has.All.EqualTo(new[] { "P-001", "P-002", "P-003", "P-004a", "P-004b", "P-005", "P-007", "P-009" }));
            Assert.That(figures.Paid.MinorUnits, Is.GreaterThan(30 * 1_000L), "most of the history is paid");
        }
    }

    [Test]
    public async Task PaymentsApplication_LeavesSettledInvoicesOut_YetAPaymentNamingOnePaysTheOldestOpen_AndAReversalReopensIt()
    {
        // Arrange: A1 is billed monthly from January; March's invoice is paid in full by P1 on its issue day, and runs on
        // the first of April, May and June tell the facts after it fell due.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var march = (await Books().LoadAsync(["A1"], CancellationToken.None)).Book.Ledger.Invoices.Single();
        await IngestPaymentsAsync(new IncomingPayment("P1", "A1", march.Payable.Value, Today, march.Number, Reversed: false));
        var applier = new PaymentApplier(_db.Database, Books(), Journal());
        await applier.ApplyPendingAsync(Today, CancellationToken.None);
        var day = Today;
        foreach (var month in new[] { 4, 5, 6 })
        {
            day = new DateOnly(2026, month, 1);
            _time.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
            await Runner().RunAsync(day, dryRun: false, CancellationToken.None);
        }

        // Act: what a payments' application loads; then a second payment naming the paid invoice, then P1's reversal.
        var receivables = await Books().LoadReceivablesAsync(["A1"], day, new HashSet<string>(), CancellationToken.None);
        var whole = await Books().LoadAsync(["A1"], CancellationToken.None);
        await IngestPaymentsAsync(new IncomingPayment("P2", "A1", 40m, day, march.Number, Reversed: false));
        await applier.ApplyPendingAsync(day, CancellationToken.None);
        var afterP2 = (await Books().LoadAsync(["A1"], CancellationToken.None)).Book.Ledger;
        await IngestPaymentsAsync(new IncomingPayment("P1", "A1", march.Payable.Value, Today, march.Number, Reversed: true));
        await applier.ApplyPendingAsync(day, CancellationToken.None);
        var afterReversal = (await Books().LoadAsync(["A1"], CancellationToken.None)).Book.Ledger;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receivables.Book.Ledger.Invoices.Select(i => i.Number), Does.Not.Contain(march.Number), "the settled invoice stays out");
            Assert.That(receivables.Book.Ledger.Payments, Is.Empty, "with its payment");
            Assert.That(receivables.Book.Ledger.AccountBalances(["A1"], day), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1"], day)), "the same figures");
            Assert.That(afterP2.Allocations.Where(a => a.SourceId == "P2").Select(a => (a.InvoiceNumber, a.Amount)),
                Is.EqualTo(new[] { (afterP2.Invoices.OrderBy(i => i.DueDate).First(i => i.Number != march.Number).Number, Amount.FromMinorUnits(4_000, Currency.Eur)) }),
                "the invoice it names is paid: P2 pays the oldest open one");
            Assert.That(afterReversal.Payments.Single(p => p.Id == "P1").IsReversed, Is.True);
            Assert.That(afterReversal.BalanceOf(afterReversal.Invoice(march.Number), day).Balance, Is.EqualTo(march.Payable), "the reversal reopened it");
        }
    }

    [Test]
    public async Task PaymentsApplication_ReadsNoInvoiceOfAPrefixAllPaidByPairs_ButEveryInvoiceOfOneNot_WithAFullLoadsFigures()
    {
        // Arrange: A1's and A2's facts were told on 2026-06-01. Each has an invoice due every third day of the 120 before,
        // each paid in full by its own payment, and one due every third day of the 30 after, unpaid; A1 has one more
        // due 50 days before with nothing payable (it never closes), and A2's invoice due 99 days before is unpaid. A
        // run 150 days later loads and saves both accounts, which keeps their closed prefix: what fell due before 2026-06-01.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build());
        var told = new DateOnly(2026, 6, 1);
        var sql = Invoicing.Storage.BookSql.For(_db.Database.Provider);
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        {
            foreach (var account in new[] { "A1", "A2" })
            {
                for (var day = -120; day < 30; day += 3)
                {
                    var (number, due) = ($"{account}-{day + 200:000}", told.AddDays(day));
                    var payable = account == "A1" && day == -51 ? 0L : 1_000L + day + 200;
                    await connection.ExecuteScalarAsync<long>(sql.InsertInvoice, new
                    {
                        Number = number, AccountId = account, Currency = "EUR", IssueDate = DayText(due.AddDays(-30)), DueDate = DayText(due), Seller = "{}", Buyer = "{}",
                        NetMinor = payable, TaxMinor = 0L, TotalMinor = payable, PostedAt = "2026-01-01T00:00:00Z", Batch = (string?)null, WithheldMinor = 0L,
                        OrderId = account == "A1" ? "801A" : "801B",
                    });
                    if (day < 0 && payable > 0 && !(account == "A2" && day == -99))
                    {
                        var paidOn = DayText(due.AddDays(-5));
                        await connection.ExecuteAsync(sql.InsertPayment, new { Id = "P-" + number, AccountId = account, Currency = "EUR", ReceivedOn = paidOn, AmountMinor = payable, RecordedAt = paidOn + "T00:00:00Z" });
                        await connection.ExecuteAsync(sql.InsertAllocation, new { SourceKind = "Payment", SourceId = "P-" + number, AccountId = account, InvoiceNumber = number, AmountMinor = payable, AllocatedOn = paidOn });
                    }
                }
            }

            await connection.ExecuteAsync("UPDATE account_wake SET facts_on = '2026-06-01' WHERE account_id IN ('A1', 'A2')");
        }

        var on = told.AddDays(150);
        _time.SetUtcNow(new DateTimeOffset(on.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        await Books().SaveAsync(await Books().LoadAsync(["A1", "A2"], null, openEntriesOnly: true, closedOn: on, CancellationToken.None), on, CancellationToken.None);
        var whole = await Books().LoadAsync(["A1", "A2"], CancellationToken.None);

        // Act: what a payments' application loads; then A1 pays its oldest open invoice's amount naming an invoice long
        // paid, and A2 the amount of its old unpaid invoice naming none.
        var receivables = await Books().LoadReceivablesAsync(["A1", "A2"], on, new HashSet<string>(), CancellationToken.None);
        await IngestPaymentsAsync(
            new IncomingPayment("Q1", "A1", 12m, on, "A1-080", Reversed: false),
            new IncomingPayment("Q2", "A2", 11.01m, on, null, Reversed: false));
        await new PaymentApplier(_db.Database, Books(), Journal()).ApplyPendingAsync(on, CancellationToken.None);
        var after = (await Books().LoadAsync(["A1", "A2"], CancellationToken.None)).Book.Ledger;

        // Assert: A1's invoices due before its prefix's day are not read, but from the one that never closes; A2's all are.
        var read = whole.Book.Ledger.Invoices.Count(i => i.AccountId == "A2" || i.DueDate >= told.AddDays(-51));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(receivables.InvoicesRead, Is.EqualTo(read), "A1's invoices due since its unpayable one, and all of A2's");
            Assert.That(receivables.InvoicesRead, Is.LessThan(whole.Book.Ledger.Invoices.Count - 20), "most of A1's paid history stays in the store");
            Assert.That(receivables.Book.Ledger.AccountBalances(["A1", "A2"], on), Is.EqualTo(whole.Book.Ledger.AccountBalances(["A1", "A2"], on)), "a full load's figures");
            Assert.That(after.Allocations.Where(a => a.SourceId is "Q1" or "Q2").Select(a => (a.SourceId, a.InvoiceNumber)),
                Is.EqualTo(new[] { ("Q1", "A1-200"), ("Q2", "A2-101") }), "each pays its account's oldest open invoice");
        }
    }
}
