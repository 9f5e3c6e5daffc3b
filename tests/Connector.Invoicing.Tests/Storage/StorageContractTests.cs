using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Outbox;
using Connector.Invoicing.Quarantine;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Invoicing.Tests.Storage;

/// <summary>
/// What every store must do, run on each engine: SQLite always, SQL Server when CONNECTOR_TEST_SQLSERVER holds a
/// connection string (Dapper's provider-matrix pattern).
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
        var store = new IngestStore(_db.Database, _time);
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
        var store = new IngestStore(_db.Database, _time);
        var bad = new IngestBatch { ObjectName = "OrderItem" };
        bad.Quarantined.Add(new QuarantineEntry("OrderItem", "802A", "UnitPrice is empty", "{}"));
        await store.CommitAsync(bad, CancellationToken.None);
        await store.CommitAsync(bad, CancellationToken.None);
        var open = await store.OpenQuarantineAsync(CancellationToken.None);

        var good = new IngestBatch { ObjectName = "OrderItem" };
        good.MappedRecordIds.Add("802A");
        await store.CommitAsync(good, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(open.Select(q => (q.RecordId, q.Reason)), Is.EqualTo(new[] { ("802A", "UnitPrice is empty") }));
            Assert.That(await store.OpenQuarantineAsync(CancellationToken.None), Is.Empty);
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
        var stored = await new InvoiceStore(_db.Database, _time).ListAsync(CancellationToken.None);

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
    public async Task PostAsync_DraftWhoseChargeWasBilledMeanwhile_PostsNothingAndLeavesNoGap()
    {
        // Arrange: two runs drafted the same charges; the first posts.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var store = new InvoiceStore(_db.Database, _time);
        var orders = await store.LoadBillableOrdersAsync(CancellationToken.None);
        var draft = InvoiceRunner.Draft(orders, new HashSet<(string, DateOnly, DateOnly)>(), Today, new BillingOptions()).Single();
        await store.PostAsync(draft, "INV", CancellationToken.None);

        // Act
        var second = await store.PostAsync(draft, "INV", CancellationToken.None);
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var next = await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Null);
            Assert.That(next.Invoices.Single().Number, Is.EqualTo("INV-000002"));
            Assert.That(await store.ListAsync(CancellationToken.None), Has.Count.EqualTo(2));
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
            Assert.That(pending.Select(p => (p.Topic, p.EntityKey)), Is.EqualTo(new[] { (OutboxTopics.Invoice, "INV-000001"), (OutboxTopics.Order, "801A") }));
            var invoice = OutboxJson.Deserialize<InvoiceFacts>(pending[0].Payload);
            Assert.That((invoice.Total, invoice.OrderId, invoice.DueDate), Is.EqualTo((300.00m, "801A", Today.AddDays(30))));
            var order = OutboxJson.Deserialize<OrderFacts>(pending[1].Payload);
            Assert.That(order.BilledThrough, Is.EqualTo(new DateOnly(2026, 3, 31)));
        }
    }

    [Test]
    public async Task Outbox_FailedThenCompleted_LeavesPendingOnlyWhenDue()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var pending = await outbox.PendingAsync(100, CancellationToken.None);

        await outbox.StartAttemptAsync([pending[0].Id], CancellationToken.None);
        await outbox.FailAsync(pending[0].Id, "UNABLE_TO_LOCK_ROW", TimeSpan.FromMinutes(1), permanent: false, CancellationToken.None);
        await outbox.CompleteManyAsync([pending[1].Id], CancellationToken.None);
        var duringBackoff = await outbox.PendingAsync(100, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterBackoff = await outbox.PendingAsync(100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(duringBackoff, Is.Empty);
            Assert.That(afterBackoff.Single().Attempts, Is.EqualTo(1));
            Assert.That(await outbox.CountByStatusAsync(CancellationToken.None), Is.EquivalentTo(new Dictionary<string, int> { ["Pending"] = 1, ["Done"] = 1 }));
        }
    }

    [Test]
    public async Task DocumentStore_SecondDocumentForAnInvoice_IsRefusedAndTheFirstKept()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time);

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
    public async Task RemoteIds_SavedTwice_KeepsTheLatest()
    {
        var outbox = new OutboxStore(_db.Database, _time);

        await outbox.SaveRemoteIdsAsync("Connector_Invoice__c", [("INV-000001", "a0I000000000001AAA"), ("INV-000002", "a0I000000000003AAA")], CancellationToken.None);
        await outbox.SaveRemoteIdsAsync("Connector_Invoice__c", [("INV-000001", "a0I000000000002AAA")], CancellationToken.None);

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
        var operations = new OperationsStore(_db.Database);
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

    private InvoiceRunner Runner() =>
        new(new InvoiceStore(_db.Database, _time), Microsoft.Extensions.Options.Options.Create(new BillingOptions()));

    private async Task SeedOrderAsync(string accountId, string orderId, params BillableLine[] lines)
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        batch.Accounts.Add(new BillingAccount(accountId, "Account " + accountId, Country: "ES"));
        batch.Orders.Add(new OrderHeader(orderId, "000" + orderId, accountId, "EUR", 30));
        batch.Lines.AddRange(lines);
        await new IngestStore(_db.Database, _time).CommitAsync(batch, CancellationToken.None);
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
