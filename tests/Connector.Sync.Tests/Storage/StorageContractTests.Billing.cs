using Connector.Sync.Ingest;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;

namespace Connector.Sync.Tests.Storage;

/// <summary>Billing books: numbering, runs, credits and round trips, on every engine.</summary>
public abstract partial class StorageContractTests
{
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
    public async Task RunAsync_ALineRepricedInPlaceAfterBilling_CreditsEachBilledPeriodsDifferenceAndHoldsNothing()
    {
        // Arrange: January to March billed at 100.00 a month; then the line's total is edited in place to 600.00 (50.00 a
        // month): each billed period keeps its days and differs only in amount.
        var line = new LineBuilder().WithId("802A").WithOrder("801A").Build();
        await SeedOrderAsync("A1", "801A", line);
        var runner = Runner();
        var first = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        await SeedOrderAsync("A1", "801A", line with { TotalPrice = 600m });

        // Act
        var second = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Invoices.Single().Net.Value, Is.EqualTo(300m));
            Assert.That(second.HeldLines, Is.Empty, "a repriced line is corrected, not held");
            Assert.That(second.CreditNotes.Single().CorrectsNumber, Is.EqualTo(first.Invoices.Single().Number));
            Assert.That(second.CreditNotes.Single().Lines.Select(l => (l.Period.Start, l.Net.Value)), Is.EqualTo(new[]
            {
                (new DateOnly(2026, 1, 1), 50m), (new DateOnly(2026, 2, 1), 50m), (new DateOnly(2026, 3, 1), 50m),
            }));
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

        var east = await Runner().RunAsync(Today, false, progress: null, invoiceBatch: "East", CancellationToken.None);
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
        await SeedInstallmentPlanAsync();

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
    public async Task LoadAsync_ASoleInstallmentIsLeftUnread_ASplitInvoiceLoadsItsPlan_BothFallDueAsPosted()
    {
        // Arrange: A1's invoice is split in two installments; A2's is due whole in 30 days (stored as one installment).
        await SeedInstallmentPlanAsync();
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTerm(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), termMonths: 1).Build());
        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.ToDictionary(i => i.AccountId);

        // Act
        var loaded = (await Books().LoadAsync(["A1", "A2"], CancellationToken.None)).Book.Ledger.Invoices.ToDictionary(i => i.AccountId);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(posted["A2"].Installments, Has.Count.EqualTo(1), "posted with one installment");
            Assert.That(loaded["A2"].Installments, Is.Empty, "a sole installment is not read");
            Assert.That(loaded["A1"].Installments.Select(i => (i.DueDate, i.Amount)), Is.EqualTo(posted["A1"].Installments.Select(i => (i.DueDate, i.Amount))));
            foreach (var account in new[] { "A1", "A2" })
            {
                Assert.That(loaded[account].DueSchedule.Select(i => (i.DueDate, i.Amount)), Is.EqualTo(posted[account].DueSchedule.Select(i => (i.DueDate, i.Amount))), account);
            }
        }
    }

    /// <summary>Account A1 with order 801A paid in two installments (30% in 15 days, 70% in 45) and a March line of 1,000.01.</summary>
    private async Task SeedInstallmentPlanAsync()
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Changes.Accounts.Add(new BillingAccount("A1", "Account A1", Country: "ES"));
        batch.Changes.Orders.Add(new OrderHeader("801A", "000801A", "A1", "EUR", 45) { PaymentTerms = "Installments(30%/15d, 70%/45d)" });
        batch.Changes.Lines.Add(new LineBuilder().WithId("802A").WithOrder("801A").WithTotal(1_000.01m).WithTerm(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), termMonths: 1).Build());
        await Ingest().CommitAsync(batch, CancellationToken.None);
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
}
