using Connector.Sync.Cycles;
using Connector.Sync.Leases;
using Connector.Sync.Ingest;
using Connector.Storage;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Mapping.WriteBack;
using Connector.Sync.WriteBack;
using Connector.Sync.Quarantine;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Storage;

/// <summary>
/// What every store must do, run on each engine: SQLite always, PostgreSQL when CONNECTOR_TEST_POSTGRES holds a
/// connection string (always on CI), SQL Server when CONNECTOR_TEST_SQLSERVER does (Dapper's provider-matrix pattern).
/// </summary>
public abstract class StorageContractTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private TestDatabase _db = null!;
    private FakeTimeProvider _time = null!;

    private protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [SetUp]
    public async Task CreateDatabase()
    {
        _db = await CreateDatabaseAsync();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));
        await new Migrator(_db.Database, _time).MigrateAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task MigrateAsync_SecondTime_AppliesNothing()
    {
        var applied = await new Migrator(_db.Database, _time).MigrateAsync(CancellationToken.None);

        Assert.That(applied, Is.Empty);
    }

    [Test]
    public async Task CommitAsync_SameVersionTwice_StoresItOnceAndKeepsTheWatermark()
    {
        // Arrange
        var store = Ingest();
        var version = new SourceRecordVersion("Order", "801000000000001AAA", new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), "{}");
        var batch = new IngestBatch { ObjectName = "Order", HighWaterMark = version.SystemModstamp };
        batch.Records.Add(version);

        // Act
        await store.CommitAsync(batch, CancellationToken.None);
        var unseen = await store.WithoutKnownVersionsAsync([version, version with { SystemModstamp = version.SystemModstamp.AddMinutes(1) }], CancellationToken.None);
        await store.CommitAsync(batch, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unseen.Select(v => v.SystemModstamp), Is.EqualTo(new[] { version.SystemModstamp.AddMinutes(1) }));
            Assert.That(await store.GetWatermarkAsync("Order", CancellationToken.None), Is.EqualTo(version.SystemModstamp));
            Assert.That(await store.GetWatermarkAsync("OrderItem", CancellationToken.None), Is.Null);
        }
    }

    [Test]
    public async Task CommitAsync_QuarantinedThenMapped_ResolvesTheQuarantineRow()
    {
        var store = Ingest();
        var bad = new IngestBatch { ObjectName = "OrderItem" };
        bad.Quarantined.Add(new QuarantineEntry("OrderItem", "802A", "UnitPrice is empty", "{}"));
        await store.CommitAsync(bad, CancellationToken.None);
        await store.CommitAsync(bad, CancellationToken.None);
        var open = await Quarantine().OpenAsync(CancellationToken.None);

        var good = new IngestBatch { ObjectName = "OrderItem" };
        good.MappedRecordIds.Add("802A");
        await store.CommitAsync(good, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(open.Select(q => (q.RecordId, q.Reason)), Is.EqualTo(new[] { ("802A", "UnitPrice is empty") }));
            Assert.That(await Quarantine().OpenAsync(CancellationToken.None), Is.Empty);
        }
    }

    [TestCase("term 0")]
    [TestCase("term -3")]
    [TestCase("total 7.9e28")]
    [TestCase("quantity 1e18")]
    public async Task RunAsync_OneLineTheEngineCannotBill_HoldsThatLineWithOneQuarantineRowAndBillsEverythingElse(string bad)
    {
        // Arrange: a line stored as it came (no mapping range checked it), beside a good line of the same account and
        // another account: values the engine cannot compute with.
        var line = new LineBuilder().WithId("802BAD").WithOrder("801A");
        line = bad switch
        {
            "term 0" => line.WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), 0m),
            "term -3" => line.WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), -3m),
            "total 7.9e28" => line.WithTotal(79_000_000_000_000_000_000_000_000_000m),
            _ => line,
        };
        var badLine = bad == "quantity 1e18" ? line.Build() with { Quantity = 1e18m, TotalPrice = 1e18m * 1e9m } : line.Build();
        await SeedOrderAsync("A1", "801A", badLine, new LineBuilder().WithId("802OK").WithOrder("801A").Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var runner = Runner();

        // Act
        var run = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var again = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert
        var open = await Quarantine().OpenAsync(CancellationToken.None);
        var billed = run.Invoices.SelectMany(i => i.Lines).Select(l => l.OrderLineId).Distinct().Order().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(billed, Is.EqualTo(new[] { "802B", "802OK" }), "every other line and account bills");
            Assert.That(run.HeldLines.Select(h => h.LineId), Is.EqualTo(new[] { "802BAD" }));
            Assert.That(open.Select(q => q.RecordId), Is.EqualTo(new[] { "802BAD" }), "one quarantine row");
            Assert.That(open.Single().Reason, Does.Contain("held").And.Contain("802BAD"));
            Assert.That(again.Invoices, Is.Empty);
            Assert.That(again.HeldLines, Is.Empty, "a held line is not tried again until it changes");
        }
    }

    [Test]
    public async Task PostAsync_TwoInvoices_NumbersAreGaplessAndRoundTrip()
    {
        // Arrange
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var runner = Runner();

        // Act
        var run = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var stored = await new InvoiceStore(_db.Database).ListAsync(CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Invoices.Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002" }));
            Assert.That(stored.Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002" }));
            Assert.That(stored[0].Lines, Has.Count.EqualTo(3));
            Assert.That(stored[0].Total, Is.EqualTo(run.Invoices[0].Total));
            Assert.That(stored[0].Taxes.Single().Tax.MinorUnits, Is.EqualTo(6_300)); // 21 % of 300.00
            Assert.That(stored[0].Lines[1].Period.Start, Is.EqualTo(new DateOnly(2026, 2, 1)));
        }
    }

    [Test]
    public async Task RunAsync_Repeated_BillsEachLineAndPeriodOnce()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var runner = Runner();

        var first = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var again = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var nextMonth = await runner.RunAsync(Today.AddMonths(1), dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Invoices.Single().Lines, Has.Count.EqualTo(3));
            Assert.That(again.Invoices, Is.Empty);
            Assert.That(nextMonth.Invoices.Single().Number, Is.EqualTo("INV-000002"));
            Assert.That(nextMonth.Invoices.Single().Lines.Single().Period.Start, Is.EqualTo(new DateOnly(2026, 4, 1)));
        }
    }

    [Test]
    public async Task SaveAsync_BookLoadedBeforeAnotherWriterPosted_ConflictsSavesNothingAndTheRetryLeavesNoGap()
    {
        // Arrange: two writers load the same account; the first posts.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var store = Books();
        var first = await store.LoadAsync(["A1"], CancellationToken.None);
        var second = await store.LoadAsync(["A1"], CancellationToken.None);
        first.Book.Run(Today, Today);
        second.Book.Run(Today, Today);
        await store.SaveAsync(first, Today, CancellationToken.None);

        // Act
        var conflict = Assert.ThrowsAsync<BookConflictException>(() => store.SaveAsync(second, Today, CancellationToken.None));
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var next = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(conflict, Is.Not.Null);
            Assert.That(next.Invoices.Single().Number, Is.EqualTo("INV-000002"));
            Assert.That((await new InvoiceStore(_db.Database).ListAsync(CancellationToken.None)).Select(i => i.Number), Is.EqualTo(new[] { "INV-000001", "INV-000002" }));
        }
    }

    [Test]
    public async Task RunAsync_ConcurrentRunsOnOneDatabase_NumberGaplessAndBillEachChargeOnce()
    {
        // Arrange: 30 accounts, two replicas starting the same run at once.
        for (var i = 0; i < 30; i++)
        {
            await SeedOrderAsync($"A{i:00}", $"801{i:00}", new LineBuilder().WithId($"802{i:00}").WithOrder($"801{i:00}").Build());
        }

        // Act
        var runs = await Task.WhenAll(Task.Run(() => Runner().RunAsync(Today, false, CancellationToken.None)), Task.Run(() => Runner().RunAsync(Today, false, CancellationToken.None)));
        var stored = await new InvoiceStore(_db.Database).ListAsync(CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Select(i => i.Number).Order(), Is.EqualTo(Enumerable.Range(1, 30).Select(n => $"INV-{n:000000}")));
            Assert.That(stored.Select(i => i.AccountId).Distinct().Count(), Is.EqualTo(30), "one invoice per account, none billed twice");
            Assert.That(runs.Sum(r => r.Invoices.Count), Is.EqualTo(30));
        }
    }

    [Test]
    public async Task RunAsync_LineEndedEarlierInTheOrg_CreditsTheUnusedPartAgainstTheInvoiceThatBilledIt()
    {
        // Arrange: billed through March (advance), then the line is cut to end on 2026-03-19.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 19), termMonths: 12).Build());

        // Act
        var run = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var again = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var book = await Books().LoadAsync(["A1"], CancellationToken.None);

        // Assert: March keeps 19/31 of 100.00 = 61.29; 38.71 + 21 % VAT (8.13) = 46.84 is credited.
        var note = run.CreditNotes.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Invoices, Is.Empty);
            Assert.That((note.Number, note.CorrectsNumber, note.Lines.Single().Net.ToPlainString(), note.Total.ToPlainString()), Is.EqualTo(("CN-000001", "INV-000001", "38.71", "46.84")));
            Assert.That(again.CreditNotes, Is.Empty, "the credit is settled in the ledger");
            Assert.That(book.Book.Ledger.CreditNotes.Single(), Is.EqualTo(note).Using<Connector.Invoicing.CreditNotes.CreditNote>((a, b) => a.Number == b.Number && a.Total == b.Total && a.Lines.Count == b.Lines.Count));
            Assert.That(book.Book.Ledger.BalanceOf(book.Book.Ledger.Invoice("INV-000001"), Today).Credited.ToPlainString(), Is.EqualTo("46.84"));
        }
    }

    [Test]
    public async Task RunAsync_ForOneInvoiceBatch_BillsOnlyThatBatchsOrdersOnTheirOwnInvoice()
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Changes.Accounts.Add(new BillingAccount("A1", "Account A1", Country: "ES"));
        batch.Changes.Orders.Add(new OrderHeader("801A", "000801A", "A1", "EUR", 30, InvoiceBatch: "East"));
        batch.Changes.Orders.Add(new OrderHeader("801B", "000801B", "A1", "EUR", 30));
        batch.Changes.Lines.Add(new LineBuilder().WithId("802A").WithOrder("801A").Build());
        batch.Changes.Lines.Add(new LineBuilder().WithId("802B").WithOrder("801B").Build());
        await Ingest().CommitAsync(batch, CancellationToken.None);

        var east = await Runner().RunAsync(Today, false, CancellationToken.None, invoiceBatch: "East");
        var rest = await Runner().RunAsync(Today, false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(east.Invoices.Single().Lines.Select(l => l.OrderId).Distinct(), Is.EqualTo(new[] { "801A" }));
            Assert.That(east.Invoices.Single().Batch, Is.EqualTo("East"));
            Assert.That(rest.Invoices.Single().Lines.Select(l => l.OrderId).Distinct(), Is.EqualTo(new[] { "801B" }));
        }
    }

    [Test]
    public async Task RunAsync_ContractEndedEarlyInTheOrg_EndsItsLinesAndCreditsWhatWasBilledBeyondWithoutRepricing()
    {
        // Arrange: an evergreen line under contract 800A, 100.00 a month, billed through March.
        var line = new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(100m).WithTerm(new DateOnly(2026, 1, 1), null).Build() with { ContractId = "800A" };
        await SeedOrderAsync("A1", "801A", line);
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var contract = new IngestBatch { ObjectName = "Contract" };
        contract.Changes.Contracts.Add(new ContractTerm("800A", new DateOnly(2026, 3, 15)));

        // Act
        await Ingest().CommitAsync(contract, CancellationToken.None);
        var run = await Runner().RunAsync(new DateOnly(2026, 6, 1), dryRun: false, CancellationToken.None);

        // Assert: March keeps 15/31 of 100.00 (48.39); 51.61 is credited; nothing after the contract's end is billed.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Invoices, Is.Empty);
            Assert.That(run.CreditNotes.Single().Lines.Single().Net.ToPlainString(), Is.EqualTo("51.61"));
            Assert.That(run.CreditNotes.Single().Lines.Single().Period, Is.EqualTo(new Connector.Invoicing.Schedules.BillingPeriod(new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 31))));
        }
    }

    [Test]
    public async Task RunAsync_OrderWithAnInstallmentPlan_PostsInstallmentsThatAddUpAndRoundTrip()
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Changes.Accounts.Add(new BillingAccount("A1", "Account A1", Country: "ES"));
        batch.Changes.Orders.Add(new OrderHeader("801A", "000801A", "A1", "EUR", 45) { PaymentTerms = "Installments(30%/15d, 70%/45d)" });
        batch.Changes.Lines.Add(new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(1_000.01m).WithTerm(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), termMonths: 1).Build());
        await Ingest().CommitAsync(batch, CancellationToken.None);

        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var stored = (await new InvoiceStore(_db.Database).ListAsync(CancellationToken.None)).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(posted.Installments.Select(i => (i.DueDate, i.Amount.ToPlainString())), Is.EqualTo(new[] { (Today.AddDays(15), "300.00"), (Today.AddDays(45), "700.01") }));
            Assert.That(stored.Installments.Select(i => i.Amount), Is.EqualTo(posted.Installments.Select(i => i.Amount)));
            Assert.That(stored.DueDate, Is.EqualTo(Today.AddDays(45)));
        }
    }

    [Test]
    public async Task RunAsync_HoldBillingSetInTheOrg_BillsNothingUntilClearedThenEveryHeldPeriod()
    {
        var held = new LineBuilder().WithId("802A").WithOrder("801A").Build() with { HoldBilling = true };
        await SeedOrderAsync("A1", "801A", held);

        var whileHeld = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        await SeedOrderAsync("A1", "801A", held with { HoldBilling = false });
        var released = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileHeld.Invoices, Is.Empty);
            Assert.That(released.Invoices.Single().Lines.Select(l => l.Period.Start.Month), Is.EqualTo(new[] { 1, 2, 3 }));
        }
    }

    [Test]
    public async Task RunAsync_NextBillingDateSetInTheOrg_WaitsForItThenBillsWhatIsDue()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build() with { NextBillingDate = new DateOnly(2026, 4, 1) });

        var early = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var onTheDate = await Runner().RunAsync(new DateOnly(2026, 4, 1), dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(early.Invoices, Is.Empty);
            Assert.That(onTheDate.Invoices.Single().Lines, Has.Count.EqualTo(4), "January to April");
        }
    }

    [Test]
    public async Task RunAsync_AccountBillingDaySetInTheOrg_StartsPeriodsOnThatDay()
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Changes.Accounts.Add(new BillingAccount("A1", "Account A1", Country: "ES", BillingDayOfMonth: 15));
        batch.Changes.Orders.Add(new OrderHeader("801A", "000801A", "A1", "EUR", 30));
        batch.Changes.Lines.Add(new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Ingest().CommitAsync(batch, CancellationToken.None);

        var run = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        // A line from 2026-01-01 on billing day 15: a leading piece to 01-14, then months from the 15th.
        Assert.That(run.Invoices.Single().Lines.Select(l => (l.Period.Start, l.Period.End)), Is.EqualTo(new[]
        {
            (new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 14)),
            (new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 14)),
            (new DateOnly(2026, 2, 15), new DateOnly(2026, 3, 14)),
            (new DateOnly(2026, 3, 15), new DateOnly(2026, 4, 14)),
        }));
    }

    [Test]
    public async Task RunAsync_CpqAmendmentDecreasingAnInvoicedPeriod_CreditsItAgainstThatInvoice()
    {
        // Arrange: 100.00 a month billed through March; an amendment from 03-10 removes the seat for the rest of the term.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var delta = new LineBuilder().WithId("802B").WithOrder("801B").WithTotal(-950m)
            .WithTerm(new DateOnly(2026, 3, 10), new DateOnly(2026, 12, 31), termMonths: 9.5m).Build() with { Quantity = -1m, RevisesLineId = "802A" };
        await SeedOrderAsync("A1", "801B", delta);

        // Act
        var run = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert: -950.00 over the 9.5-month term CPQ gives is -100.00 a month; 22 of March's 31 days = 70.97 credited against INV-000001.
        var note = run.CreditNotes.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Invoices, Is.Empty);
            Assert.That((note.CorrectsNumber, note.Lines.Single().OrderLineId, note.Lines.Single().Period.Start), Is.EqualTo(("INV-000001", "802B", new DateOnly(2026, 3, 10))));
            Assert.That(note.Net.ToPlainString(), Is.EqualTo("70.97"));
        }
    }

    [Test]
    public async Task SaveAsync_PaymentsDisputesAndRefunds_RoundTripWithTheSameBalances()
    {
        // Arrange
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var store = Books();
        var loaded = await store.LoadAsync(["A1"], CancellationToken.None);
        var ledger = loaded.Book.Ledger;
        ledger.RecordPayment("P1", "A1", Today, Amount.Round(350m, Currency.Eur), null);
        ledger.RecordPayment("P2", "A1", Today, Amount.Round(20m, Currency.Eur), null);
        ledger.ReversePayment("P2", Today);
        ledger.RefundCredit("A1", null, Amount.Round(10m, Currency.Eur), Today);
        var expected = ledger.AccountBalance("A1", Currency.Eur, Today);

        // Act
        await store.SaveAsync(loaded, Today, CancellationToken.None);
        var reloaded = await store.LoadAsync(["A1"], CancellationToken.None);
        reloaded.Book.Ledger.OpenDispute("D1", "INV-000001", null, Amount.Round(5m, Currency.Eur), Today, "wrong seat count");
        await store.SaveAsync(reloaded, Today, CancellationToken.None);
        var third = await store.LoadAsync(["A1"], CancellationToken.None);

        // Assert
        var actual = third.Book.Ledger.AccountBalance("A1", Currency.Eur, Today);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((actual.Billed, actual.Paid, actual.Refunded, actual.Balance, actual.UnappliedCredit), Is.EqualTo((expected.Billed, expected.Paid, expected.Refunded, expected.Balance, expected.UnappliedCredit)));
            Assert.That(actual.UnappliedCredit.ToPlainString(), Is.EqualTo("40.00"), "350.00 paid on 300.00, 10.00 refunded; the bounced 20.00 counts for nothing");
            Assert.That(third.Book.Ledger.Disputes.Single().Amount.ToPlainString(), Is.EqualTo("5.00"));
            Assert.That(third.Book.Ledger.Payments.Single(p => p.Id == "P2").IsReversed, Is.True);
        }
    }

    [Test]
    public async Task PostedInvoice_UpdateOrDelete_IsRefusedByTheDatabase()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);

        foreach (var statement in new[] { "UPDATE invoice SET total_minor = 1", "DELETE FROM invoice_line", "UPDATE invoice_line SET net_minor = 0" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            Assert.That(async () => await command.ExecuteNonQueryAsync(), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("never change"), statement);
        }
    }

    [Test]
    public async Task RunAsync_DryRun_PostsNothing()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());

        var dry = await Runner().RunAsync(Today, dryRun: true, CancellationToken.None);
        var real = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dry.Invoices.Single().Total, Is.EqualTo(real.Invoices.Single().Total));
            Assert.That(real.Invoices.Single().Number, Is.EqualTo("INV-000001"));
        }
    }

    [Test]
    public async Task PostAsync_Invoice_QueuesInvoiceAndOrderFactsInTheSameTransaction()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        var pending = await new OutboxStore(_db.Database, _time).PendingAsync(100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending.Select(p => (p.Topic, p.EntityKey)), Is.EqualTo(new[] { (OutboxTopics.Invoice, "INV-000001"), (OutboxTopics.Account, "A1"), (OutboxTopics.Order, "801A") }));
            var invoice = OutboxJson.Deserialize<InvoiceFacts>(pending[0].Payload);
            Assert.That((invoice.Total, invoice.OrderId, invoice.DueDate, invoice.Balance, invoice.PaymentStatus), Is.EqualTo((300.00m, "801A", Today.AddDays(30), 300.00m, "Unpaid")));
            var account = OutboxJson.Deserialize<AccountFacts>(pending[1].Payload);
            Assert.That((account.Balance, account.Overdue, account.AvailableCredit), Is.EqualTo((300.00m, 0m, 0m)));
            var order = OutboxJson.Deserialize<OrderFacts>(pending[2].Payload);
            Assert.That(order.BilledThrough, Is.EqualTo(new DateOnly(2026, 3, 31)));
        }
    }

    [Test]
    public async Task RunAsync_AnInvoicePassesItsDueDate_QueuesItsOverdueFactsOnceWithoutAnyOtherChange()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTerm(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), termMonths: 1).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        await outbox.CompleteManyAsync([.. (await outbox.PendingAsync(100, CancellationToken.None)).Select(p => p.Id)], CancellationToken.None);

        await Runner().RunAsync(Today.AddDays(10), dryRun: false, CancellationToken.None);
        var beforeDue = await outbox.PendingAsync(100, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(31)); // due date 2026-04-14 has passed
        await Runner().RunAsync(Today.AddDays(31), dryRun: false, CancellationToken.None);
        var afterDue = await outbox.PendingAsync(100, CancellationToken.None);
        await outbox.CompleteManyAsync([.. afterDue.Select(p => p.Id)], CancellationToken.None);
        await Runner().RunAsync(Today.AddDays(31), dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeDue, Is.Empty, "nothing changed");
            Assert.That(afterDue.Select(p => (p.Topic, p.EntityKey)), Is.EquivalentTo(new[] { (OutboxTopics.Invoice, "INV-000001"), (OutboxTopics.Account, "A1") }));
            Assert.That(OutboxJson.Deserialize<InvoiceFacts>(afterDue.Single(p => p.Topic == OutboxTopics.Invoice).Payload).PaymentStatus, Is.EqualTo("Overdue"));
            Assert.That(OutboxJson.Deserialize<AccountFacts>(afterDue.Single(p => p.Topic == OutboxTopics.Account).Payload).Overdue, Is.EqualTo(1200.00m), "a one-month term of 1,200.00");
            Assert.That(await outbox.PendingAsync(100, CancellationToken.None), Is.Empty, "queued once");
        }
    }

    [Test]
    public async Task PaymentApplier_PaymentsFromTheOrg_AreAppliedOnceReversedWhenTheOrgSaysSoAndRefusedOnesQuarantined()
    {
        // Arrange: INV-000001 of 300.00; the org records a payment of 120.00 and one with too many decimals.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var payment = new Connector.Invoicing.Receivables.IncomingPayment("a1P1", "A1", 120m, Today, "INV-000001", Reversed: false);
        await IngestPaymentsAsync(payment, new Connector.Invoicing.Receivables.IncomingPayment("a1P2", "A1", 1.001m, Today, null, Reversed: false));
        var applier = new PaymentApplier(_db.Database, Books(), Journal());

        // Act
        var first = await applier.ApplyPendingAsync(Today, CancellationToken.None);
        var again = await applier.ApplyPendingAsync(Today, CancellationToken.None);
        var paid = await Balance();
        await IngestPaymentsAsync(payment with { Reversed = true });
        var reversal = await applier.ApplyPendingAsync(Today, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Applied, first.Quarantined.Single().RecordId), Is.EqualTo((1, "a1P2")));
            Assert.That(first.Quarantined.Single().Reason, Does.Contain("more decimals than EUR has"));
            Assert.That((again.Applied, again.Reversed, again.Quarantined.Count), Is.EqualTo((0, 0, 0)));
            Assert.That(paid.Paid.ToPlainString(), Is.EqualTo("120.00"));
            Assert.That(reversal.Reversed, Is.EqualTo(1));
            Assert.That((await Balance()).Paid.ToPlainString(), Is.EqualTo("0.00"));
        }

        async Task<Connector.Invoicing.Receivables.InvoiceBalance> Balance()
        {
            var ledger = (await Books().LoadAsync(["A1"], CancellationToken.None)).Book.Ledger;
            return ledger.BalanceOf(ledger.Invoice("INV-000001"), Today);
        }
    }

    [Test]
    public async Task PaymentApplier_PaymentOfAnAccountWithoutOrders_WaitsAndIsCountedForStatus()
    {
        await IngestPaymentsAsync(new Connector.Invoicing.Receivables.IncomingPayment("a1P9", "A9", 50m, Today, null, Reversed: false));

        var applied = await new PaymentApplier(_db.Database, Books(), Journal()).ApplyPendingAsync(Today, CancellationToken.None);
        var waiting = await new OrderStore(_db.Database, _time).PendingPaymentsAsync(CancellationToken.None);

        Assert.That((applied.Applied, applied.Quarantined.Count, waiting), Is.EqualTo((0, 0, 1)));
    }

    [Test]
    public async Task Outbox_FailedThenCompleted_LeavesPendingOnlyWhenDue()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var pending = await outbox.PendingAsync(100, CancellationToken.None);

        await outbox.StartAttemptAsync([pending[0].Id], CancellationToken.None); // an attempt a crash cut short
        await outbox.StartAttemptAsync([pending[0].Id], CancellationToken.None);
        await outbox.FailAsync(pending[0].Id, "UNABLE_TO_LOCK_ROW", TimeSpan.FromMinutes(1), permanent: false, CancellationToken.None);
        await outbox.CompleteManyAsync([.. pending.Skip(1).Select(p => p.Id)], CancellationToken.None);
        var duringBackoff = await outbox.PendingAsync(100, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterBackoff = await outbox.PendingAsync(100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(duringBackoff, Is.Empty);
            Assert.That((afterBackoff.Single().Attempts, afterBackoff.Single().Failures), Is.EqualTo((2, 1)), "started and failed attempts are counted apart");
            Assert.That((await outbox.RetriesAsync(CancellationToken.None)).Count, Is.EqualTo(1));
            Assert.That(await outbox.CountByStatusAsync(CancellationToken.None), Is.EquivalentTo(new Dictionary<string, int> { ["Pending"] = 1, ["Done"] = pending.Count - 1 }));
        }
    }

    [Test]
    public async Task DocumentStore_SecondDocumentForAnInvoice_IsRefusedAndTheFirstKept()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());

        var first = await documents.AddAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var second = await documents.AddAsync(invoice.Id, invoice.Number, "b.pdf", "application/pdf", [4, 5, 6], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Null);
            Assert.That((await documents.GetAsync(first!.Id, CancellationToken.None))!.Content, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(first.ContentHash, Is.EqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"));
            Assert.That(await documents.InvoicesWithoutDocumentAsync(CancellationToken.None), Is.Empty);
        }
    }

    [Test]
    public async Task CommitAsync_StoredLineDeletedInTheOrgSeenTwice_HeldAndQuarantinedOnceUnknownIdIgnored()
    {
        // Arrange: the line's version is stored, as ingest stores it.
        var line = new LineBuilder().WithId("802A").WithOrder("801A").Build();
        await SeedOrderAsync("A1", "801A", line);
        var store = Ingest();
        var stored = new IngestBatch { ObjectName = "OrderItem" };
        stored.Records.Add(new SourceRecordVersion("OrderItem", "802A", _time.GetUtcNow().AddDays(-1), """{"Id":"802A"}"""));
        await store.CommitAsync(stored, CancellationToken.None);

        // Act: the same deletion from queryAll and from getDeleted (another instant), and one of a record never stored.
        var deletedAt = _time.GetUtcNow();
        foreach (var at in new[] { deletedAt, deletedAt.AddSeconds(3) })
        {
            var batch = new IngestBatch { ObjectName = "OrderItem" };
            batch.Deletions.Add(new RecordDeletion("802A", at, DeletionEffect.HoldLine));
            batch.Deletions.Add(new RecordDeletion("802Z", at, DeletionEffect.HoldLine));
            await store.CommitAsync(batch, CancellationToken.None);
        }

        var run = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert
        var quarantine = await Quarantine().OpenAsync(CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quarantine.Select(q => q.RecordId), Is.EqualTo(new[] { "802A" }));
            Assert.That(IngestStore.IsDeletion(quarantine[0].Payload), Is.True);
            Assert.That(run.Invoices, Is.Empty, "the deleted line is held");
        }
    }

    [Test]
    public async Task DocumentStore_ReplaceWithOtherBytes_StoresThemAndQueuesANewVersionSameBytesChangeNothing()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var first = await documents.AddAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var before = (await outbox.PendingAsync(100, CancellationToken.None)).Count(m => m.Topic == OutboxTopics.Document);

        var same = await documents.ReplaceAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var changed = await documents.ReplaceAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [7, 8, 9], CancellationToken.None);

        var facts = (await outbox.PendingAsync(100, CancellationToken.None)).Where(m => m.Topic == OutboxTopics.Document).Select(m => OutboxJson.Deserialize<DocumentFacts>(m.Payload)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((same, changed), Is.EqualTo((false, true)));
            Assert.That((await documents.GetAsync(first!.Id, CancellationToken.None))!.Content, Is.EqualTo(new byte[] { 7, 8, 9 }));
            Assert.That(facts, Has.Count.EqualTo(before + 1));
            Assert.That(facts[^1].ReplacesContentHash, Is.EqualTo(first.ContentHash));
            Assert.That(facts[^1].ContentHash, Is.Not.EqualTo(first.ContentHash));
        }
    }

    [Test]
    public async Task Settle_DoneIdsAndFollowUp_LandTogetherOrNotAtAll()
    {
        // Arrange: the outbox rows of a posted invoice.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var pending = await outbox.PendingAsync(100, CancellationToken.None);
        var first = pending[0];

        // Act 1: a settlement that fails part-way (its follow-up cannot be stored) leaves nothing behind.
        var broken = new OutboxSettlement([first.Id], "ContentVersion", [(first.EntityKey, "068000000000001AAA")], [(OutboxTopics.FileLink, first.EntityKey, null!)]);
        await Assert.CatchAsync<Exception>(async () => await outbox.SettleAsync(broken, CancellationToken.None));
        var afterFailure = await outbox.PendingAsync(100, CancellationToken.None);
        var idsAfterFailure = await outbox.FindRemoteIdsAsync("ContentVersion", [first.EntityKey], CancellationToken.None);

        // Act 2: the same settlement, whole.
        await outbox.SettleAsync(broken with { FollowUps = [(OutboxTopics.FileLink, first.EntityKey, "{}")] }, CancellationToken.None);
        var afterSettle = await outbox.PendingAsync(100, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFailure.Select(m => m.Id), Is.EqualTo(pending.Select(m => m.Id)), "the row is still pending");
            Assert.That(idsAfterFailure, Is.Empty, "no id was kept");
            Assert.That(afterSettle.Select(m => m.Id), Does.Not.Contain(first.Id));
            Assert.That(afterSettle.Where(m => m.Topic == OutboxTopics.FileLink).Select(m => m.EntityKey), Is.EqualTo(new[] { first.EntityKey }), "the follow-up is queued");
            Assert.That(await outbox.FindRemoteIdsAsync("ContentVersion", [first.EntityKey], CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task RunAsync_LineWithWithholdingAndExemptionFromTheMapping_InvoiceWithholdsAndNamesTheExemption()
    {
        // Arrange: an exempt line with 15 % IRPF withheld, as a mapping feeds it.
        var line = new LineBuilder().WithId("802A").WithOrder("801A").WithTax(0m).Build() with { TaxExemptReason = "Exenta art. 20 LIVA", WithholdingPercent = 15m };
        await SeedOrderAsync("A1", "801A", line);

        // Act
        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var stored = (await new InvoiceStore(_db.Database).ListAsync(CancellationToken.None)).Single();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Lines.Select(l => (l.TaxExemptReason, l.WithholdingPercent)).Distinct(), Is.EqualTo(new[] { ("Exenta art. 20 LIVA", 15m) }));
            Assert.That(stored.Withholdings.Single().RatePercent, Is.EqualTo(15m));
            Assert.That(stored.Withholdings.Single().Withheld.MinorUnits, Is.EqualTo(posted.Net.MinorUnits * 15 / 100));
            Assert.That(stored.Taxes.Single().ExemptReason, Is.EqualTo("Exenta art. 20 LIVA"));
        }
    }

    [Test]
    public async Task RenderPending_OneInvoiceThatCannotBeDrawn_TheOthersAreRenderedAndItIsTriedAgain()
    {
        // Arrange: two posted invoices; drawing the second fails.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices;
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var invoices = new InvoiceStore(_db.Database);
        var broken = new Connector.Invoicing.Documents.DocumentRenderer(documents, invoices,
            i => i.Number == posted[1].Number ? throw new InvalidOperationException("glyph table corrupt") : Connector.Invoicing.Documents.InvoicePdfRenderer.Render(i));

        // Act
        var first = await broken.RenderPendingAsync(CancellationToken.None);
        var second = await new Connector.Invoicing.Documents.DocumentRenderer(documents, invoices).RenderPendingAsync(CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Rendered.Select(d => d.InvoiceId), Is.EqualTo(new[] { posted[0].Id }));
            Assert.That(first.Failed, Is.EqualTo(new[] { (posted[1].Number, "InvalidOperationException: glyph table corrupt") }));
            Assert.That(second.Rendered.Select(d => d.InvoiceId), Is.EqualTo(new[] { posted[1].Id }), "tried again, once");
        }
    }

    [Test]
    public async Task RemoteIds_SavedTwice_KeepsTheLatest()
    {
        var outbox = new OutboxStore(_db.Database, _time);

        await outbox.SettleAsync(new OutboxSettlement([], "Connector_Invoice__c", [("INV-000001", "a0I000000000001AAA"), ("INV-000002", "a0I000000000003AAA")], []), CancellationToken.None);
        await outbox.SettleAsync(new OutboxSettlement([], "Connector_Invoice__c", [("INV-000001", "a0I000000000002AAA")], []), CancellationToken.None);

        Assert.That(await outbox.FindRemoteIdsAsync("Connector_Invoice__c", ["INV-000001", "INV-000002", "INV-000009"], CancellationToken.None),
            Is.EquivalentTo(new Dictionary<string, string> { ["INV-000001"] = "a0I000000000002AAA", ["INV-000002"] = "a0I000000000003AAA" }));
    }

    [Test]
    public async Task Lease_TwoHolders_OneAtATimeTakenOverWhenExpiredOrReleased()
    {
        // Arrange
        var leases = new LeaseStore(_db.Database, _time);
        var duration = TimeSpan.FromSeconds(30);

        // Act
        var a = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        var bWhileHeld = await leases.TryAcquireAsync("leader", "pod-b", duration, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        var aRenews = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        var renewed = await leases.FindAsync("leader", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        var bAfterExpiry = await leases.TryAcquireAsync("leader", "pod-b", duration, CancellationToken.None);
        var aLost = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        await leases.ReleaseAsync("leader", "pod-b", CancellationToken.None);
        var aAfterRelease = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((a, bWhileHeld, aRenews), Is.EqualTo((true, false, true)));
            Assert.That(renewed!.AcquiredAt, Is.EqualTo(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero)), "a renewal keeps the acquisition time");
            Assert.That((bAfterExpiry, aLost, aAfterRelease), Is.EqualTo((true, false, true)));
            Assert.That((await leases.FindAsync("leader", CancellationToken.None))!.Holder, Is.EqualTo("pod-a"));
        }
    }

    [Test]
    public async Task PruneCycles_OlderThanTheCutoff_AreForgottenNewerKept()
    {
        var operations = new CycleStore(_db.Database);
        var now = _time.GetUtcNow();
        await operations.RecordCycleAsync(new CycleRun("sync", now.AddDays(-40), now.AddDays(-40), "Succeeded", "{}", null), CancellationToken.None);
        await operations.RecordCycleAsync(new CycleRun("ingest", now.AddDays(-1), now.AddDays(-1), "Succeeded", "{}", null), CancellationToken.None);

        var pruned = await operations.PruneCyclesAsync(now.AddDays(-30), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pruned, Is.EqualTo(1));
            Assert.That((await operations.LastCyclesAsync(CancellationToken.None)).Select(c => c.Kind), Is.EqualTo(new[] { "ingest" }));
        }
    }

    private InvoiceRunner Runner() => new(Books(), new BillingClock(_time, Microsoft.Extensions.Options.Options.Create(new BillingOptions())));

    private BookStore Books() => new(_db.Database, _time, Microsoft.Extensions.Options.Options.Create(new BillingOptions()), Journal());

    private QuarantineStore Quarantine() => new(_db.Database, _time);

    private IngestStore Ingest() => new(_db.Database, _time, new OrderStore(_db.Database, _time), Quarantine());

    private SyncPostingJournal Journal() => new(new FactsProjector(_db.Database, _time), Quarantine());

    private async Task IngestPaymentsAsync(params Connector.Invoicing.Receivables.IncomingPayment[] payments)
    {
        var batch = new IngestBatch { ObjectName = "blng__Payment__c" };
        batch.Changes.Payments.AddRange(payments);
        await Ingest().CommitAsync(batch, CancellationToken.None);
    }

    private async Task SeedOrderAsync(string accountId, string orderId, params BillableLine[] lines)
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Changes.Accounts.Add(new BillingAccount(accountId, "Account " + accountId, Country: "ES"));
        batch.Changes.Orders.Add(new OrderHeader(orderId, "000" + orderId, accountId, "EUR", 30));
        batch.Changes.Lines.AddRange(lines);
        await Ingest().CommitAsync(batch, CancellationToken.None);
    }
}

[TestFixture]
public sealed class SqliteStorageContractTests : StorageContractTests
{
    private protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

[TestFixture]
public sealed class SqlServerStorageContractTests : StorageContractTests
{
    private protected override Task<TestDatabase> CreateDatabaseAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("CONNECTOR_TEST_SQLSERVER");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Ignore("CONNECTOR_TEST_SQLSERVER is not set: the SQL Server run of the storage contract is skipped (every T-SQL statement is still parsed by ScriptDom).");
        }

        return TestDatabase.SqlServerAsync(connectionString);
    }
}

[TestFixture]
public sealed class PostgresStorageContractTests : StorageContractTests
{
    private protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync();
}
