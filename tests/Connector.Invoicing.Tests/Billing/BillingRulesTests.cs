using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Tests.Billing;

/// <summary>One rule per test: what the book and the ledger refuse, and the edge cases the scenario files do not show.</summary>
[TestFixture]
public sealed class BillingRulesTests
{
    private static readonly DateOnly Jan1 = new(2024, 1, 1);

    [TestCase(31, 2024, 2, 29)]
    [TestCase(31, 2023, 2, 28)]
    [TestCase(30, 2024, 4, 30)]
    [TestCase(15, 2024, 2, 15)]
    public void BillingDateIn_DayPastTheMonthsEnd_IsTheMonthsLastDay(int day, int year, int month, int expected)
    {
        Assert.That(new ScheduleSettings(day).BillingDateIn(year, month), Is.EqualTo(new DateOnly(year, month, expected)));
    }

    [TestCase("2024-03-01", "2024-05-31", 90)]
    [TestCase("2024-01-01", "2024-01-31", 30)]
    [TestCase("2024-02-15", "2024-02-29", 16)]
    [TestCase("2024-01-15", "2024-03-14", 60)]
    public void Days360_CountsEveryMonthAsThirtyDays(string start, string end, int expected)
    {
        var period = new BillingPeriod(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(Proration.Days360(period), Is.EqualTo(expected));
    }

    [Test]
    public void Fixed30_LongerThanThirtyDays_IsCappedAtOne()
    {
        var whole = new BillingPeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31));
        var piece = new BillingPeriod(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31).AddDays(-0));

        var factor = Proration.Factor(new BillingPeriod(piece.Start, piece.End.AddDays(-1)), whole, 1, new ScheduleSettings(1, ProrationMethod.Fixed30));

        Assert.That(factor, Is.EqualTo(1m), "30 of 31 January days are 30/30 under Fixed30");
    }

    [TestCase("Net0", "DueOnReceipt")]
    [TestCase("DueOnReceipt", "DueOnReceipt")]
    [TestCase("Net45", "Net45")]
    [TestCase("Net", null)]
    [TestCase("net30", null)]
    [TestCase("Net-5", null)]
    [TestCase("Net99999", null)]
    public void PaymentTerms_TryParse_AcceptsOnlyDueOnReceiptAndNetN(string text, string? expected)
    {
        Assert.That(PaymentTerms.TryParse(text)?.Name, Is.EqualTo(expected));
    }

    [TestCase("INV", true)]
    [TestCase("INV-{yyyy}", true)]
    [TestCase("FV/{yyyy}/A", true)]
    [TestCase("", false)]
    [TestCase("INV 2024", false)]
    [TestCase("ABCDEFGHIJKLMNOPQRSTU", false)]
    public void NumberSeries_IsValid(string pattern, bool valid)
    {
        Assert.That(NumberSeries.IsValid(pattern), Is.EqualTo(valid));
    }

    [Test]
    public void Amend_OneTimeLine_IsRefused()
    {
        var book = Book(OneTime("L1", 100m));

        var error = Assert.Throws<BillingRuleException>(() => book.Amend("O2", [new Revision("L2", "L1", 2m, Jan1)]));

        Assert.That(error!.Message, Does.Contain("one-time"));
    }

    [Test]
    public void Amend_StartOutsideTheRevisedLinesService_IsRefusedAndChangesNothing()
    {
        var book = Book(Monthly("L1", 100m, Jan1, new DateOnly(2024, 6, 30)));

        Assert.Throws<BillingRuleException>(() => book.Amend("O2", [new Revision("L2", "L1", 2m, new DateOnly(2024, 7, 1))]));

        Assert.That(book.HasLine("L2"), Is.False);
    }

    [Test]
    public void IssueCreditNote_RebillAfterAPartialCredit_IsRefused()
    {
        var book = Book(OneTime("L1", 100m));
        book.Run(Jan1, Jan1);
        book.IssueCreditNote(Jan1, "INV-000001", "goodwill", [(1, Amount.Round(10m, Currency.Eur))]);

        var error = Assert.Throws<BillingRuleException>(() => book.IssueCreditNote(Jan1, "INV-000001", "wrong buyer", [(1, Amount.Round(10m, Currency.Eur))], rebill: true));

        Assert.That(error!.Message, Does.Contain("in full"));
    }

    [Test]
    public void AcceptedDisputeOnALine_CreditsExactlyTheDisputedGross()
    {
        // 20.00 gross at 21 %: net 16.53, VAT 3.4713 -> 3.47, 20.00 in all.
        var book = Book(OneTime("L1", 100m, tax: 21m), OneTime("L2", 50m, tax: 10m));
        book.Run(Jan1, Jan1);
        book.Ledger.OpenDispute("D1", "INV-000001", 1, Amount.Round(20m, Currency.Eur), Jan1, null);

        var (dispute, note) = book.ResolveDispute(Jan1, "D1", DisputeOutcome.Accepted);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(note!.Lines.Single().Net.ToPlainString(), Is.EqualTo("16.53"));
            Assert.That(note.Total.ToPlainString(), Is.EqualTo("20.00"));
            Assert.That(dispute.CreditNoteNumber, Is.EqualTo(note.Number));
            Assert.That(book.Ledger.BalanceOf(book.Ledger.Invoice("INV-000001"), Jan1).Credited.ToPlainString(), Is.EqualTo("20.00"));
        }
    }

    [Test]
    public void ReversePayment_AfterARefundFromIt_IsRefused()
    {
        var book = Book(OneTime("L1", 100m));
        book.Run(Jan1, Jan1);
        book.Ledger.RecordPayment("P1", "A1", Jan1, Amount.Round(150m, Currency.Eur), null);
        book.Ledger.RefundCredit("A1", null, Amount.Round(50m, Currency.Eur), Jan1);

        Assert.Throws<BillingRuleException>(() => book.Ledger.ReversePayment("P1", Jan1));
    }

    [Test]
    public void RecordPayment_ExplicitAllocationAboveTheBalance_IsRefusedAndRecordsNothing()
    {
        var book = Book(OneTime("L1", 100m));
        book.Run(Jan1, Jan1);

        Assert.Throws<BillingRuleException>(() => book.Ledger.RecordPayment("P1", "A1", Jan1, Amount.Round(500m, Currency.Eur), [("INV-000001", Amount.Round(100.01m, Currency.Eur))]));

        Assert.That(book.Ledger.Payments, Is.Empty);
    }

    [Test]
    public void RefundCredit_MoreThanIsUnapplied_IsRefused()
    {
        var book = Book(OneTime("L1", 100m));
        book.Run(Jan1, Jan1);
        book.Ledger.RecordPayment("P1", "A1", Jan1, Amount.Round(110m, Currency.Eur), null);

        var error = Assert.Throws<BillingRuleException>(() => book.Ledger.RefundCredit("A1", null, Amount.Round(10.01m, Currency.Eur), Jan1));

        Assert.That(error!.Message, Does.Contain("10.00 EUR"));
    }

    [Test]
    public void Release_WithoutAHold_IsRefused()
    {
        var book = Book(Monthly("L1", 100m, Jan1, null));

        Assert.Throws<BillingRuleException>(() => book.Release("L1", Jan1));
    }

    [Test]
    public void Run_DryRun_PostsNothingAndTakesNoNumber()
    {
        var book = Book(Monthly("L1", 100m, Jan1, null));

        var draft = book.Run(Jan1, Jan1, dryRun: true);
        var real = book.Run(Jan1, Jan1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(draft.Invoices.Single().Number, Is.Empty);
            Assert.That(real.Invoices.Single().Number, Is.EqualTo("INV-000001"));
        }
    }

    [Test]
    public void Run_AccountsAndBatches_NeverShareADocument()
    {
        var book = new BillingBook(new BookSettings());
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.SetAccount(new BookAccount { Id = "A2", Name = "Globex", InvoiceBatch = "West" });
        book.AddOrder("A1", "O1", [Monthly("L1", 10m, Jan1, null)]);
        book.AddOrder("A1", "O2", [Monthly("L2", 20m, Jan1, null)], batch: "East");
        book.AddOrder("A2", "O3", [Monthly("L3", 30m, Jan1, null)], currency: Currency.Usd);

        var all = book.Run(Jan1, Jan1, dryRun: true);
        var west = book.Run(Jan1, Jan1, batch: "West");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Invoices.Select(i => (i.AccountId, i.Currency.Code, i.Batch)), Is.EqualTo(new[] { ("A1", "EUR", (string?)null), ("A1", "EUR", "East"), ("A2", "USD", "West") }));
            Assert.That(west.Invoices.Single().Lines.Single().OrderLineId, Is.EqualTo("L3"));
        }
    }

    private static BillingBook Book(params NewLine[] lines)
    {
        var book = new BillingBook(new BookSettings());
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.AddOrder("A1", "O1", lines);
        return book;
    }

    private static NewLine OneTime(string id, decimal price, decimal tax = 0m) =>
        new() { Id = id, Product = id, ChargeType = ChargeType.OneTime, UnitPrice = price, Quantity = 1m, Start = Jan1, TaxRate = tax };

    private static NewLine Monthly(string id, decimal price, DateOnly start, DateOnly? end) =>
        new() { Id = id, Product = id, ChargeType = ChargeType.Recurring, Frequency = BillingFrequency.Monthly, UnitPrice = price, Quantity = 1m, Start = start, End = end };
}
