using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// When each account's book next needs loading, so a run costs what is due rather than all history. Each save of a book
/// keeps, per account, the earliest target date a run would bill anything of it (after a run that took all its lines)
/// and the first day its receivables change by time alone, with a fingerprint of the billing settings; a run loads only
/// the accounts whose dates have come, whose settings changed, or whose inputs were written since. Every write of an
/// account's billing inputs raises its generation in the writer's own transaction; a save keeps its dates only when the
/// generation is still the one its load saw, so an input stored between a load and its save is never missed.
/// </summary>
internal sealed class AccountWakes(ConnectorDatabase database)
{
    private const int InListChunk = 500;
    private readonly AccountWakeSql _sql = AccountWakeSql.For(database.Provider);

    /// <summary>The accounts with lines a run with <paramref name="targetDate"/> on <paramref name="on"/> must load, in id order.</summary>
    public async Task<IReadOnlyList<string>> AccountsToRunAsync(DateOnly targetDate, DateOnly on, string settings, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(database.Command(_sql.SelectAccountsToRun,
            new { Target = DbText.Date(targetDate), On = DbText.Date(on), Settings = settings }, cancellationToken))];
    }

    /// <summary>
    /// Each account's row as a load sees it: its generation (absent: 0), the day its facts were last all true on (absent:
    /// unknown), and, while the row holds for <paramref name="settings"/> (no input written since its save), the day its
    /// billing entries are settled before.
    /// </summary>
    public async Task<WakeRows> ReadAsync(DbConnection connection, DbTransaction? snapshot, IReadOnlyCollection<string> accountIds, string settings,
        CancellationToken cancellationToken)
    {
        var rows = new WakeRows();
        foreach (var chunk in accountIds.Chunk(InListChunk))
        {
            foreach (var row in await connection.QueryAsync<(string AccountId, long Generation, string? FactsOn, string? Settings, string? SettledBefore)>(
                database.Command(_sql.SelectGenerations, new { AccountIds = chunk }, snapshot, cancellationToken)))
            {
                rows.Generations[row.AccountId] = row.Generation;
                if (row.FactsOn is not null)
                {
                    rows.FactsOn[row.AccountId] = DbText.ParseDate(row.FactsOn);
                }

                if (row.SettledBefore is not null && string.Equals(row.Settings, settings, StringComparison.Ordinal))
                {
                    rows.SettledBefore[row.AccountId] = DbText.ParseDate(row.SettledBefore);
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Keeps the loaded accounts' dates in the save's transaction: both dates and the day the entries are settled before
    /// when the book ran all its lines, else only the receivables date (what a partial run billed only moves the billing
    /// date later, so the kept one stays early enough, and what was settled stays settled); and <paramref name="asOf"/>
    /// as the day the facts the save projected are all true on.
    /// </summary>
    public async Task SaveAsync(DbConnection connection, DbTransaction transaction, LoadedBook loaded, DateOnly asOf, string settings, CancellationToken cancellationToken)
    {
        var changes = loaded.Book.Ledger.NextTimeChanges(asOf);
        var next = loaded.RanWhole ? loaded.Book.NextDates() : null;
        var rows = loaded.AccountIds.Order(StringComparer.Ordinal).Select(accountId => (object)new
        {
            AccountId = accountId,
            Generation = loaded.Generations.GetValueOrDefault(accountId),
            BillsOn = DbText.Date(next?.GetValueOrDefault(accountId).BillsOn),
            ChangesOn = DbText.Date(changes.TryGetValue(accountId, out var day) ? day : (DateOnly?)null),
            Settings = settings,
            FactsOn = DbText.Date(asOf),
            SettledBefore = DbText.Date(next?.TryGetValue(accountId, out var dates) == true ? dates.SettledBefore : null),
        }).ToList();
        await MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, next is null ? _sql.SaveChangesOn : _sql.SaveWake, rows, cancellationToken);
    }

    /// <summary>Marks the accounts whose billing inputs <paramref name="changes"/> wrote, in the writer's transaction (after its writes).</summary>
    public async Task InputsChangedAsync(OrderChanges changes, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await InputsChangedAsync(WakeInput.Account, [.. changes.Accounts.Select(a => a.AccountId)], transaction, cancellationToken);
        await InputsChangedAsync(WakeInput.Payment, [.. changes.Payments.Select(p => p.PaymentId)], transaction, cancellationToken);
        await InputsChangedAsync(WakeInput.Order, [.. changes.Orders.Select(o => o.OrderId)], transaction, cancellationToken);
        await InputsChangedAsync(WakeInput.Line, [.. changes.Lines.Select(l => l.LineId), .. changes.Schedules.Select(s => s.LineId)], transaction, cancellationToken);
        await InputsChangedAsync(WakeInput.Contract, [.. changes.Contracts.Select(c => c.ContractId)], transaction, cancellationToken);
        await InputsChangedAsync(WakeInput.Schedule, [.. changes.Rates.Select(r => r.ScheduleId)], transaction, cancellationToken);
    }

    /// <summary>Marks the accounts the rows of this kind belong to, in the writer's transaction (after its writes).</summary>
    public async Task InputsChangedAsync(WakeInput input, IReadOnlyCollection<string> ids, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(transaction);
        var sql = input switch
        {
            WakeInput.Account => _sql.InvalidateAccounts,
            WakeInput.Order => _sql.InvalidateOrders,
            WakeInput.Line => _sql.InvalidateLines,
            WakeInput.Contract => _sql.InvalidateContracts,
            WakeInput.Schedule => _sql.InvalidateSchedules,
            _ => _sql.InvalidatePayments,
        };
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(InListChunk))
        {
            await transaction.Connection!.ExecuteAsync(database.Command(sql, new { Ids = chunk }, transaction, cancellationToken));
        }
    }

    /// <summary>The billing settings the dates are computed under (any change loads every account once).</summary>
    public static string Fingerprint(BillingOptions options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(options))));
}

/// <summary>The account rows a load read (see <see cref="AccountWakes.ReadAsync"/>).</summary>
internal sealed class WakeRows
{
    public Dictionary<string, long> Generations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DateOnly> FactsOn { get; } = new(StringComparer.Ordinal);

    /// <summary>The accounts whose entries are settled before a day, by account; absent: none known.</summary>
    public Dictionary<string, DateOnly> SettledBefore { get; } = new(StringComparer.Ordinal);
}

/// <summary>What kind of rows an input write names (see <see cref="AccountWakes.InputsChangedAsync(WakeInput, IReadOnlyCollection{string}, DbTransaction, CancellationToken)"/>).</summary>
internal enum WakeInput
{
    Account,
    Order,
    Line,
    Contract,
    Schedule,
    Payment,
}
