using Connector.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Storage;

/// <summary>An existing SQLite database with posted documents upgraded by migration 0005 (which rebuilds credit_note): nothing lost, nothing loosened.</summary>
[TestFixture]
public sealed class UpgradeTests
{
    [Test]
    public async Task Migrate_DatabaseAtVersion4WithACreditNote_KeepsItsRowsLinksAndImmutability()
    {
        // Arrange: a database migrated to version 4 by hand, holding an invoice corrected by a credit note with a line.
        await using var db = TestDatabase.Sqlite();
        await using (var connection = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            foreach (var migration in Migration.For(StorageProvider.Sqlite).Where(m => m.Version <= 4))
            {
                await connection.ExecuteAsync(migration.Batches.Single());
                await connection.ExecuteAsync("INSERT INTO schema_version VALUES (@Version, @Name, '2026-01-01T00:00:00.0000000Z')", new { migration.Version, migration.Name });
            }

            await connection.ExecuteAsync("""
                INSERT INTO invoice (id, number, status, account_id, currency, issue_date, due_date, seller, buyer, net_minor, tax_minor, total_minor, posted_at)
                VALUES (1, 'INV-000001', 'Posted', 'A1', 'EUR', '2026-01-01', '2026-01-31', '{}', '{}', 10000, 0, 10000, '2026-01-01T00:00:00.0000000Z');
                INSERT INTO credit_note (id, number, account_id, currency, issue_date, corrects_invoice_id, corrects_number, corrects_issue_date, reason,
                                         net_minor, tax_minor, withheld_minor, total_minor, posted_at)
                VALUES (1, 'CN-000001', 'A1', 'EUR', '2026-01-05', 1, 'INV-000001', '2026-01-01', 'Goodwill', 1000, 0, 0, 1000, '2026-01-05T00:00:00.0000000Z');
                INSERT INTO credit_note_line (credit_note_id, line_number, order_id, order_line_id, description, period_start, period_end, quantity,
                                              proration_factor, net_minor, tax_rate_percent, withholding_percent, explanation)
                VALUES (1, 1, '801A', '802A', 'Plan', '2026-01-01', '2026-01-31', '1', '1', 1000, '0', '0', 'goodwill');
                INSERT INTO number_series (series, next_value) VALUES ('INV', 2), ('CN', 2);
                """);
        }

        // Act
        var applied = await new Migrator(db.Database, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);

        // Assert
        await using var after = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied, Does.Contain(5));
            Assert.That(await after.QuerySingleAsync<string>("SELECT corrects_number FROM credit_note WHERE number = 'CN-000001'"), Is.EqualTo("INV-000001"));
            Assert.That(await after.QuerySingleAsync<long>("SELECT COUNT(*) FROM credit_note_line WHERE credit_note_id = 1"), Is.EqualTo(1));
            Assert.That((await after.QueryAsync("PRAGMA foreign_key_check")).ToList(), Is.Empty, "every child row still finds its credit note");
            Assert.That(await after.QuerySingleAsync<string>("SELECT last_issue_date FROM number_series WHERE series = 'CN'"), Is.EqualTo("2026-01-05"));
            await Assert.ThrowsAsync<SqliteException>(async () => await after.ExecuteAsync("UPDATE credit_note SET reason = 'changed'"), "posted credit notes never change");
            await Assert.ThrowsAsync<SqliteException>(async () => await after.ExecuteAsync("DELETE FROM credit_note"));
        }
    }
}
