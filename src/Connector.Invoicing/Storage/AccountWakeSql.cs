using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The statements of <see cref="AccountWakes"/>: which accounts a run loads, the generation a load saw, the dates a save
/// keeps, and the invalidation each write of billing inputs makes (an upsert raising the generation of the accounts the
/// written rows belong to, found from the rows themselves).
/// </summary>
[SqlCatalog]
internal sealed partial record AccountWakeSql
{
    /// <summary>Accounts with order lines that a run with this target date on this day must load, in id order.</summary>
    public string SelectAccountsToRun { get; init; } = """
        SELECT a.account_id
        FROM   billing_account a
        LEFT JOIN account_wake w ON w.account_id = a.account_id
        WHERE  (w.account_id IS NULL OR w.settings IS NULL OR w.settings <> @Settings OR w.bills_on <= @Target OR w.changes_on <= @On)
          AND  EXISTS (SELECT 1 FROM sales_order o JOIN order_line l ON l.order_id = o.order_id WHERE o.account_id = a.account_id)
        ORDER BY a.account_id
        """;

    public string SelectGenerations { get; init; } = """
        SELECT account_id AS AccountId, generation AS Generation, facts_on AS FactsOn, settings AS Settings, settled_before AS SettledBefore
        FROM   account_wake
        WHERE  account_id IN @AccountIds
        """;

    /// <summary>A save's dates (and the day its entries are settled before), kept only while the generation is the one its load saw.</summary>
    public required string SaveWake { get; init; }

    /// <summary>A save that did not run every line keeps only its receivables date, under the same condition.</summary>
    public string SaveChangesOn { get; init; } = """
        UPDATE account_wake SET changes_on = @ChangesOn, facts_on = @FactsOn WHERE account_id = @AccountId AND generation = @Generation
        """;

    public required string InvalidateAccounts { get; init; }

    public required string InvalidateOrders { get; init; }

    public required string InvalidateLines { get; init; }

    public required string InvalidateContracts { get; init; }

    public required string InvalidateSchedules { get; init; }

    /// <summary>
    /// Payments recorded in the org: they change receivables only, which the payments' own application computes again
    /// and saves (under the raised generation); the billing dates stay, so the account's next run still loads only its
    /// open entries.
    /// </summary>
    public required string InvalidatePayments { get; init; }

    public static AccountWakeSql Sqlite { get; } = Dialect(
        """
        INSERT INTO account_wake (account_id, generation, bills_on, changes_on, settings, facts_on, settled_before)
        VALUES (@AccountId, @Generation, @BillsOn, @ChangesOn, @Settings, @FactsOn, @SettledBefore)
        ON CONFLICT (account_id) DO UPDATE SET bills_on = excluded.bills_on, changes_on = excluded.changes_on, settings = excluded.settings, facts_on = excluded.facts_on,
                                               settled_before = excluded.settled_before
        WHERE account_wake.generation = excluded.generation
        """,
        (source, set) => $"""
        INSERT INTO account_wake (account_id, generation)
        SELECT DISTINCT w.account_id, 1 FROM ({source}) w WHERE w.account_id IS NOT NULL
        ON CONFLICT (account_id) DO UPDATE SET {set.Replace("{t}", "account_wake", StringComparison.Ordinal)}
        """);

    public static AccountWakeSql SqlServer { get; } = Dialect(
        """
        MERGE account_wake WITH (HOLDLOCK) AS t
        USING (VALUES (@AccountId, @Generation, @BillsOn, @ChangesOn, @Settings, @FactsOn, @SettledBefore)) AS s (account_id, generation, bills_on, changes_on, settings, facts_on, settled_before)
        ON t.account_id = s.account_id
        WHEN MATCHED AND t.generation = s.generation THEN UPDATE SET bills_on = s.bills_on, changes_on = s.changes_on, settings = s.settings, facts_on = s.facts_on,
                                                                     settled_before = s.settled_before
        WHEN NOT MATCHED THEN INSERT (account_id, generation, bills_on, changes_on, settings, facts_on, settled_before)
                              VALUES (s.account_id, s.generation, s.bills_on, s.changes_on, s.settings, s.facts_on, s.settled_before);
        """,
        (source, set) => $"""
        MERGE account_wake WITH (HOLDLOCK) AS t
        USING (SELECT DISTINCT w.account_id FROM ({source}) w WHERE w.account_id IS NOT NULL) AS s (account_id)
        ON t.account_id = s.account_id
        WHEN MATCHED THEN UPDATE SET {set.Replace("{t}", "t", StringComparison.Ordinal)}
        WHEN NOT MATCHED THEN INSERT (account_id, generation) VALUES (s.account_id, 1);
        """);

    public static AccountWakeSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static AccountWakeSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    /// <summary>A write of billing inputs: the generation is raised and the dates the account's last save kept no longer hold.</summary>
    private const string DropDates = "generation = {t}.generation + 1, settings = NULL";

    /// <summary>A write of receivables inputs: the generation is raised (a save that did not see it keeps nothing), the billing dates stay.</summary>
    private const string RaiseGeneration = "generation = {t}.generation + 1";

    private static AccountWakeSql Dialect(string saveWake, Func<string, string, string> upsert) => new()
    {
        SaveWake = saveWake,
        InvalidateAccounts = upsert("SELECT account_id FROM billing_account WHERE account_id IN @Ids", DropDates),
        InvalidateOrders = upsert("SELECT account_id FROM sales_order WHERE order_id IN @Ids", DropDates),
        InvalidateLines = upsert(LinesWhere("l.line_id IN @Ids"), DropDates),
        InvalidateContracts = upsert(LinesWhere("l.contract_id IN @Ids"), DropDates),
        InvalidateSchedules = upsert(LinesWhere("l.line_id IN (SELECT s.line_id FROM consumption_schedule s WHERE s.schedule_id IN @Ids)"), DropDates),
        InvalidatePayments = upsert("SELECT account_id FROM incoming_payment WHERE payment_id IN @Ids", RaiseGeneration),
    };

    private static string LinesWhere(string condition) =>
        $"SELECT o.account_id FROM order_line l JOIN sales_order o ON o.order_id = l.order_id WHERE {condition}";
}
