using System.Data.Common;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// What of an account's invoice history a run never reads again: per account and currency, the payable of every
/// invoice due before a day (<see cref="ClosedPrefix.Through"/>) that can close (a positive payable due whole, see
/// <see cref="BookStore.LoadAsync(IReadOnlyCollection{string}, Func{string, bool}?, bool, DateOnly?, CancellationToken)"/>).
/// Posted invoices never change, so the sum stays true whoever wrote it and whenever. A run whose day is at least 90 days
/// after it counts the sum as more than 90 days overdue and reads only invoices due on or after it (or on or after
/// <see cref="ClosedPrefix.OpenSince"/>, the earliest due date of an invoice that never closes, when that is earlier);
/// its save moves the day to 90 days before its own, adding what fell into that bucket.
/// </summary>
internal sealed class ClosedPrefixes(ConnectorDatabase database)
{
    private readonly ClosedPrefixSql _sql = ClosedPrefixSql.For(database.Provider);

    /// <summary>The accounts' prefixes; an account whose currencies disagree on the day (never written so) has none.</summary>
    public async Task<Dictionary<string, ClosedPrefix>> ReadAsync(DbConnection connection, DbTransaction? snapshot, string[] accountIds, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string AccountId, string Currency, string Through, long PayableMinor, string? OpenSince)>(
            database.Command(_sql.SelectPrefixes, new { AccountIds = accountIds }, snapshot, cancellationToken));
        var prefixes = new Dictionary<string, ClosedPrefix>(StringComparer.Ordinal);
        foreach (var account in rows.GroupBy(r => r.AccountId, StringComparer.Ordinal))
        {
            var days = account.Select(r => (r.Through, r.OpenSince)).Distinct().ToList();
            if (days.Count == 1)
            {
                prefixes[account.Key] = new ClosedPrefix(DbText.ParseDate(days[0].Through), days[0].OpenSince is { } open ? DbText.ParseDate(open) : null,
                    account.ToDictionary(r => r.Currency, r => r.PayableMinor, StringComparer.Ordinal));
            }
        }

        return prefixes;
    }

    /// <summary>
    /// Keeps the prefixes the load computed for its day (<see cref="LoadedBook.NextPrefixes"/>), each account's with the
    /// earliest due date of its invoices that never close, all of which the book holds (the load read every invoice due
    /// on or after the earlier of the prefix's day and that date, and new invoices are due after both).
    /// </summary>
    public async Task SaveAsync(DbConnection connection, DbTransaction transaction, LoadedBook loaded, CancellationToken cancellationToken)
    {
        if (loaded.NextPrefixes.Count == 0)
        {
            return;
        }

        var openSince = loaded.Book.Ledger.Invoices
            .Where(i => !i.Payable.IsPositive || i.Installments.Count > 1)
            .GroupBy(i => i.AccountId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(i => i.DueDate), StringComparer.Ordinal);
        var rows = loaded.NextPrefixes.OrderBy(p => p.Key.AccountId, StringComparer.Ordinal).ThenBy(p => p.Key.Currency, StringComparer.Ordinal).Select(p => (object)new
        {
            p.Key.AccountId, p.Key.Currency, Through = DbText.Date(p.Value.Through), p.Value.PayableMinor,
            OpenSince = DbText.Date(openSince.TryGetValue(p.Key.AccountId, out var day) ? day : (DateOnly?)null),
        }).ToList();
        await MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, _sql.SavePrefix, rows, cancellationToken);
    }
}

/// <summary>An account's closed prefix: the day, the earliest due date of an invoice that never closes, and the payable per currency.</summary>
internal sealed record ClosedPrefix(DateOnly Through, DateOnly? OpenSince, IReadOnlyDictionary<string, long> PayableMinor);

/// <summary>The statements of <see cref="ClosedPrefixes"/>.</summary>
[SqlCatalog]
internal sealed partial record ClosedPrefixSql
{
    public string SelectPrefixes { get; init; } = """
        SELECT account_id AS AccountId, currency AS Currency, through AS Through, payable_minor AS PayableMinor, open_since AS OpenSince
        FROM   closed_prefix
        WHERE  account_id IN @AccountIds
        """;

    public required string SavePrefix { get; init; }

    public static ClosedPrefixSql Sqlite { get; } = new()
    {
        SavePrefix = """
            INSERT INTO closed_prefix (account_id, currency, through, payable_minor, open_since)
            VALUES (@AccountId, @Currency, @Through, @PayableMinor, @OpenSince)
            ON CONFLICT (account_id, currency) DO UPDATE SET through = excluded.through, payable_minor = excluded.payable_minor, open_since = excluded.open_since
            """,
    };

    public static ClosedPrefixSql SqlServer { get; } = new()
    {
        SavePrefix = """
            MERGE closed_prefix WITH (HOLDLOCK) AS t
            USING (VALUES (@AccountId, @Currency, @Through, @PayableMinor, @OpenSince)) AS s (account_id, currency, through, payable_minor, open_since)
            ON t.account_id = s.account_id AND t.currency = s.currency
            WHEN MATCHED THEN UPDATE SET through = s.through, payable_minor = s.payable_minor, open_since = s.open_since
            WHEN NOT MATCHED THEN INSERT (account_id, currency, through, payable_minor, open_since)
                                  VALUES (s.account_id, s.currency, s.through, s.payable_minor, s.open_since);
            """,
    };

    public static ClosedPrefixSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static ClosedPrefixSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);
}
