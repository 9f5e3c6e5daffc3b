using Connector.Storage;
using Connector.Sync.WriteBack;
using Dapper;

namespace Connector.Sync.Tests.Storage;

/// <summary>Many rows written by one statement (<see cref="MultiRowInsert"/>), on every engine: the rows as given, in order.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task MultiRowInsert_FiveThousandOutboxRows_AreStoredInOrderWithTheStatementsLiterals()
    {
        // Arrange: more rows than one statement carries on any engine; the statement holds literals and a parameter twice.
        var sql = OutboxSql.For(_db.Database.Provider);
        var rows = Enumerable.Range(0, 5_000).Select(i => (object)new { Topic = "invoice", EntityKey = $"INV-{i:000000}", Payload = i % 7 == 0 ? "{}" : $"{{\"n\":{i}}}", CreatedAt = "2026-12-04T10:00:00Z" }).ToList();

        // Act
        int written;
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            written = await MultiRowInsert.ExecuteAsync(connection, transaction, _db.Database.Provider, sql.InsertOutbox, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        // Assert
        await using var read = await _db.Database.OpenAsync(CancellationToken.None);
        var stored = (await read.QueryAsync<(string EntityKey, string Payload, string Status, string NextAttemptAt, string CreatedAt)>(
            "SELECT entity_key, payload, status, next_attempt_at, created_at FROM outbox ORDER BY id")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(5_000));
            Assert.That(stored.Select(s => s.EntityKey), Is.EqualTo(Enumerable.Range(0, 5_000).Select(i => $"INV-{i:000000}")), "every row, in the order given");
            Assert.That(stored[7].Payload, Is.EqualTo("{}"));
            Assert.That(stored[8].Payload, Is.EqualTo("{\"n\":8}"));
            Assert.That(stored.Select(s => (s.Status, s.NextAttemptAt, s.CreatedAt)).Distinct(), Is.EqualTo(new[] { ("Pending", "2026-12-04T10:00:00Z", "2026-12-04T10:00:00Z") }));
        }
    }

    [Test]
    public async Task InsertReturningKeys_ThreeInvoices_GivesEachRowsKeyInTheOrderGiven()
    {
        // Arrange: the book's own invoice insert (RETURNING id, or OUTPUT inserted.id).
        var sql = Invoicing.Storage.BookSql.For(_db.Database.Provider);
        var rows = new[] { "INV-000010", "INV-000011", "INV-000012" }.Select(number => (object)new
        {
            Number = number, AccountId = "001A", Currency = "EUR", IssueDate = "2026-12-01", DueDate = "2026-12-31", Seller = "{}", Buyer = "{}",
            NetMinor = 100L, TaxMinor = 21L, TotalMinor = 121L, PostedAt = "2026-12-01T06:00:00Z", Batch = (string?)null, WithheldMinor = 0L, OrderId = "801A",
        }).ToList();

        // Act
        IReadOnlyList<long> keys;
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            keys = await MultiRowInsert.InsertReturningKeysAsync(connection, transaction, _db.Database.Provider, sql.InsertInvoice, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        // Assert
        var stored = await connection.QueryAsync<(long Id, string Number)>("SELECT id, number FROM invoice ORDER BY number");
        Assert.That(keys, Is.EqualTo(stored.Select(s => s.Id)).And.Unique);
    }

    [Test]
    public async Task MultiRowInsert_UpsertOfExistingKeys_UpdatesThemAndAddsTheNew()
    {
        var sql = OutboxSql.For(_db.Database.Provider);
        object State(string key, string hash) => new { Topic = "account", EntityKey = key, AccountId = key, PayloadHash = hash, UpdatedAt = "2026-12-04T10:00:00Z" };
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);

        await MultiRowInsert.ExecuteAsync(connection, null, _db.Database.Provider, sql.UpsertFactState, [State("A1", "h1"), State("A2", "h2")], CancellationToken.None);
        await MultiRowInsert.ExecuteAsync(connection, null, _db.Database.Provider, sql.UpsertFactState, [State("A2", "h2b"), State("A3", "h3")], CancellationToken.None);

        var stored = await connection.QueryAsync<(string EntityKey, string PayloadHash)>("SELECT entity_key, payload_hash FROM fact_state ORDER BY entity_key");
        Assert.That(stored, Is.EqualTo(new[] { ("A1", "h1"), ("A2", "h2b"), ("A3", "h3") }));
    }

    [Test]
    public async Task MultiRowInsert_RowWithoutAParameterOfTheStatement_IsRefusedNamingIt()
    {
        var sql = OutboxSql.For(_db.Database.Provider);
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MultiRowInsert.ExecuteAsync(connection, null, _db.Database.Provider, sql.InsertOutbox, [new { Topic = "invoice", EntityKey = "INV-1", CreatedAt = "x" }], CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain("has no property Payload"));
    }
}
