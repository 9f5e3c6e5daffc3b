using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Tests.Schedules;
using Connector.Storage;
using Connector.Sync;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;
using Connector.Worker.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Worker.Tests.Simulation;

/// <summary><c>receivables apply</c> and <c>receivables report</c> on a stored book (SQLite; every engine's storage is covered by Connector.Sync.Tests).</summary>
[TestFixture]
public sealed class ReceivablesServiceTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);
    private TestDatabase _db = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _db = TestDatabase.Sqlite();
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));
        await new Migrator(_db.Database, _time).MigrateAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task DropDatabase() => await _db.DisposeAsync();

    [TestCase(-1, "would come before the invoice it corrects")]
    [TestCase(1, "dated after today")]
    public async Task ReceivablesApply_CreditNoteDatedOutOfOrder_IsRefusedWithItsPathAndNothingSaved(int daysFromToday, string expected)
    {
        // Arrange: an invoice posted today.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var service = new ReceivablesService(Books());
        var on = Today.AddDays(daysFromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var json = $$"""
            { "events": [ { "on": "{{on}}", "type": "creditNote", "account": "A1", "invoice": "{{invoice.Number}}", "reason": "Goodwill", "lines": [ { "invoiceLine": 1, "amount": "1.00" } ] } ] }
            """;

        // Act
        var refused = await Assert.ThrowsAsync<ScenarioException>(async () => await service.ApplyAsync(json, Today, dryRun: false, CancellationToken.None));

        // Assert
        var report = await service.ReportAsync(Today, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused!.Message, Does.Contain("$.events[0]").And.Contain(expected));
            Assert.That(report.Accounts.Single().Credited.IsZero, Is.True, "nothing saved");
        }
    }

    [Test]
    public async Task RunAsync_DiscountsOutweighTheCharges_PostsACreditNoteForTheAccountNeverANegativeInvoice()
    {
        // Arrange: a monthly charge of 100.00 and a monthly discount of 300.00 (a CPQ discount line) on one order.
        await SeedOrderAsync("A1", "801A",
            new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build(),
            new LineBuilder().WithId("802D").WithOrder("801A").WithTax(21m).WithTotal(-3_600m).Build());
        var runner = Runner();

        // Act
        var run = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var again = await runner.RunAsync(Today, dryRun: false, CancellationToken.None);
        var report = await new ReceivablesService(Books()).ReportAsync(Today, CancellationToken.None);

        // Assert
        var note = run.CreditNotes.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Invoices, Is.Empty, "a negative total is never an invoice");
            Assert.That((note.Number, note.CorrectsNumber), Is.EqualTo(("CN-000001", (string?)null)));
            Assert.That(note.Total.IsPositive, Is.True);
            Assert.That(note.Net.MinorUnits, Is.EqualTo(-run.CreditNotes.Single().Lines.Sum(l => -l.Net.MinorUnits)));
            Assert.That(report.Accounts.Single().UnappliedCredit, Is.EqualTo(note.Total), "the account's available credit");
            Assert.That(again.Invoices.Concat<object>(again.CreditNotes), Is.Empty, "billed once");
        }
    }

    private InvoiceRunner Runner() => new(Books(), new BillingClock(_time, Microsoft.Extensions.Options.Options.Create(new BillingOptions())));

    private BookStore Books() => new(_db.Database, _time, Microsoft.Extensions.Options.Options.Create(new BillingOptions()),
        new SyncPostingJournal(new FactsProjector(_db.Database, _time), new QuarantineStore(_db.Database, _time)));

    private async Task SeedOrderAsync(string accountId, string orderId, params BillableLine[] lines)
    {
        var batch = new OrderChanges { Source = "Order" };
        batch.Accounts.Add(new BillingAccount(accountId, "Account " + accountId, Country: "ES"));
        batch.Orders.Add(new OrderHeader(orderId, "000" + orderId, accountId, "EUR", 30));
        batch.Lines.AddRange(lines);
        await new OrderStore(_db.Database, _time).SaveAsync(batch, CancellationToken.None);
    }
}
