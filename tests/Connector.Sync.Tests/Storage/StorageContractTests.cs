using Connector.Sync.Ingest;
using Connector.Storage;
using Connector.Invoicing.Orders;
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
public abstract partial class StorageContractTests
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

    private InvoiceRunner Runner() => new(Books(), new BillingClock(_time, Microsoft.Extensions.Options.Options.Create(new BillingOptions())));

    private BookStore Books() => new(_db.Database, _time, Microsoft.Extensions.Options.Options.Create(new BillingOptions()), Journal());

    private QuarantineStore Quarantine() => new(_db.Database, _time);

    private IngestStore Ingest() => new(_db.Database, _time, new OrderStore(_db.Database, _time), Quarantine(), Channels());

    private global::Connector.Sync.ChangeEvents.ChannelStore Channels() => new(_db.Database, _time);

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
