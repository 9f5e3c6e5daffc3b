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
            await MigrateByHandAsync(connection, 4);

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

    [Test]
    public async Task Migrate_DatabaseAtVersion15WithAllocations_KeepsOnEachTheFactsOfTheInvoiceItPays()
    {
        // Arrange: a database at version 15 holding two invoices, the second split in two installments, and three
        // allocations: one to each, and one to an invoice that is not there.
        await using var db = TestDatabase.Sqlite();
        await using (var connection = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None))
        {
            await MigrateByHandAsync(connection, 15);

            await connection.ExecuteAsync("""
                INSERT INTO invoice (id, number, status, account_id, currency, issue_date, due_date, seller, buyer, net_minor, tax_minor, total_minor, posted_at, withheld_minor)
                VALUES (1, 'INV-000001', 'Posted', 'A1', 'EUR', '2026-01-01', '2026-01-31', '{}', '{}', 10000, 2100, 12100, '2026-01-01T00:00:00.0000000Z', 1500),
                       (2, 'INV-000002', 'Posted', 'A1', 'USD', '2026-02-01', '2026-03-03', '{}', '{}', 20000, 0, 20000, '2026-02-01T00:00:00.0000000Z', 0);
                INSERT INTO invoice_installment (invoice_id, number, due_date, amount_minor) VALUES (2, 1, '2026-03-03', 10000), (2, 2, '2026-04-02', 10000);
                INSERT INTO allocation (id, source_kind, source_id, account_id, invoice_number, amount_minor, allocated_on)
                VALUES (1, 'Payment', 'P1', 'A1', 'INV-000001', 10600, '2026-02-01'),
                       (2, 'Payment', 'P2', 'A1', 'INV-000002', 5000, '2026-03-01'),
                       (3, 'Payment', 'P3', 'A1', 'INV-000404', 100, '2026-03-01');
                """);
        }

        // Act
        var applied = await new Migrator(db.Database, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);

        // Assert: each allocation keeps its invoice's due date, currency, payable (net and tax less what is withheld)
        // and whether it is split; the one whose invoice is missing keeps nothing.
        await using var after = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None);
        var rows = (await after.QueryAsync<(long Id, string? Due, string? Currency, long? Payable, long? Split)>(
            "SELECT id, invoice_due_date, invoice_currency, invoice_payable_minor, invoice_split FROM allocation ORDER BY id")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied, Does.Contain(16));
            Assert.That(rows, Is.EqualTo(new (long, string?, string?, long?, long?)[]
            {
                (1, "2026-01-31", "EUR", 10600, 0),
                (2, "2026-03-03", "USD", 20000, 1),
                (3, null, null, null, null),
            }));
        }
    }

    [Test]
    public async Task Migrate_DatabaseAtVersion16WithBillingEntries_FindsEachByTheYearItsWholePeriodEndsIn()
    {
        // Arrange: a database at version 16 holding four entries of one line, whose whole periods end in 2025, 2026 (two)
        // and 2028, and one of another line.
        await using var db = TestDatabase.Sqlite();
        await using (var connection = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None))
        {
            await MigrateByHandAsync(connection, 16);
            await connection.ExecuteAsync("""
                INSERT INTO billing_entry (line_id, piece_start, period_start, period_end, whole_start, whole_end, factor, net_minor, document_number, document_line, invoice_number, is_invoice)
                VALUES ('L1', '2025-12-01', '2025-12-01', '2025-12-31', '2025-12-01', '2025-12-31', '1', 100, 'INV-1', 1, 'INV-1', 1),
                       ('L1', '2026-01-01', '2026-01-01', '2026-01-31', '2026-01-01', '2026-01-31', '1', 100, 'INV-2', 1, 'INV-2', 1),
                       ('L1', '2026-02-01', '2026-02-01', '2026-02-28', '2025-03-01', '2026-02-28', '1', 100, 'INV-3', 1, 'INV-3', 1),
                       ('L1', '2027-03-01', '2027-03-01', '2028-02-29', '2027-03-01', '2028-02-29', '1', 1200, 'INV-4', 1, 'INV-4', 1),
                       ('L2', '2026-01-01', '2026-01-01', '2026-01-31', '2026-01-01', '2026-01-31', '1', 100, 'INV-2', 2, 'INV-2', 1);
                """);
        }

        // Act
        var applied = await new Migrator(db.Database, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);

        // Assert: every entry knows its year, one written after too by a statement that names no year (as an older
        // connector's, after a rollback, would); the run's read of L1's entries since 2026-02-01 asks each year from 2026
        // to the last stored and finds them through the index led by the year.
        await using var after = (SqliteConnection)await db.Database.OpenAsync(CancellationToken.None);
        var sql = Invoicing.Storage.BookSql.For(StorageProvider.Sqlite);
        await after.ExecuteAsync(sql.InsertBillingEntry, new
        {
            LineId = "L1", PieceStart = "2028-03-01", PeriodStart = "2028-03-01", PeriodEnd = "2029-02-28", WholeStart = "2028-03-01", WholeEnd = "2029-02-28", Factor = "1",
            NetMinor = 1_200L, DocumentNumber = "INV-5", DocumentLine = 1, InvoiceNumber = "INV-5", IsInvoice = 1,
        });
        var years = await after.QuerySingleAsync<(long? First, long? Last)>(sql.SelectBillingEntryYears);
        var since = new { Years = new[] { 2026, 2027, 2028, 2029 }, LineIds = new[] { "L1" }, Since = "2026-02-01" };
        var found = (await after.QueryAsync<string>("SELECT DocumentNumber FROM (" + sql.SelectBillingEntriesSince + ")", since)).ToList();
        var plan = string.Join(" ", (await after.QueryAsync<(long, long, long, string Detail)>("EXPLAIN QUERY PLAN " + sql.SelectBillingEntriesSince, since)).Select(r => r.Detail));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied, Does.Contain(17));
            Assert.That(await after.QueryAsync<long>("SELECT whole_year FROM billing_entry ORDER BY id"), Is.EqualTo(new long[] { 2025, 2026, 2026, 2028, 2026, 2029 }));
            Assert.That(years, Is.EqualTo(((long?)2025, (long?)2029)));
            Assert.That(found, Is.EqualTo(new[] { "INV-3", "INV-4", "INV-5" }));
            Assert.That(plan, Does.Contain("ix_billing_entry_year_line (whole_year=? AND line_id=?"));
        }
    }

    /// <summary>Applies the SQLite migrations up to <paramref name="version"/> as the migrator would, recording each.</summary>
    private static async Task MigrateByHandAsync(SqliteConnection connection, int version)
    {
        await connection.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var migration in Migration.For(StorageProvider.Sqlite).Where(m => m.Version <= version))
        {
            foreach (var batch in migration.Batches)
            {
                await connection.ExecuteAsync(batch);
            }

            await connection.ExecuteAsync("INSERT INTO schema_version VALUES (@Version, @Name, '2026-01-01T00:00:00.0000000Z')", new { migration.Version, migration.Name });
        }
    }
}
