using System.Text.RegularExpressions;

namespace Connector.Invoicing.Storage;

internal sealed partial record SqlStatements
{
    /// <summary>
    /// PostgreSQL shares SQLite's upsert syntax (<c>ON CONFLICT … DO UPDATE</c>, <c>RETURNING</c>, <c>LIMIT</c>), so its
    /// statements are SQLite's with the few that differ written anew, and one rewrite: Dapper passes a list to
    /// Npgsql as one array parameter instead of expanding it, so <c>IN @Ids</c> becomes <c>= ANY(@Ids)</c>.
    /// </summary>
    public static SqlStatements Postgres => PostgresDialect.Statements;

    /// <summary>Built on first use, after the SQLite statements it starts from (static initialisers of partial files run in no set order).</summary>
    private static class PostgresDialect
    {
        public static readonly SqlStatements Statements = WithArrayParameters(Sqlite with
        {
            CreateSchemaVersionTable = """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    BIGINT PRIMARY KEY,
                    name       TEXT COLLATE "C" NOT NULL,
                    applied_at TEXT COLLATE "C" NOT NULL)
                """,
            // A session-level advisory lock: replicas starting together migrate one after the other; a killed process
            // releases it with its session. The key is "connecto" read as eight ASCII bytes.
            AcquireMigrationLock = "SELECT pg_advisory_lock(7165066952596223087)",
            ReleaseMigrationLock = "SELECT pg_advisory_unlock(7165066952596223087)",
            UpsertIncomingPayment = """
                INSERT INTO incoming_payment (payment_id, object_name, account_id, amount, received_on, invoice_number, reversed, updated_at)
                VALUES (@PaymentId, @ObjectName, @AccountId, @Amount, @ReceivedOn, @InvoiceNumber, @Reversed, @UpdatedAt)
                ON CONFLICT (payment_id) DO UPDATE SET reversed = GREATEST(incoming_payment.reversed, excluded.reversed), updated_at = excluded.updated_at
                """,
        });
    }

    private static SqlStatements WithArrayParameters(SqlStatements statements)
    {
        var copy = statements with { };
        foreach (var property in typeof(SqlStatements).GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            property.SetValue(copy, ListParameter().Replace((string)property.GetValue(copy)!, "= ANY($1)"));
        }

        return copy;
    }

    [GeneratedRegex(@"\bIN (@\w+)")]
    private static partial Regex ListParameter();
}
