using System.Data.Common;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// A load's receivables: of a run, what is closed stays in the store as sums (<see cref="ReceivablesLedger.RestoreClosed"/>):
/// invoices nothing covers that are past due and told so, and invoices settled by one payment of exactly their payable
/// (with that payment and its allocation); whatever something loaded names loads after all.
/// </summary>
internal sealed partial class BookStore
{
    /// <summary>What a load read of its accounts' receivables, and the sums of what it left in the store.</summary>
    private sealed class ReceivableReads
    {
        public List<InvoiceRow> Invoices { get; } = [];

        public List<PaymentRow> Payments { get; } = [];

        public List<AllocationRow> Allocations { get; } = [];

        public Dictionary<(string AccountId, string Currency), ClosedInvoices> Closed { get; } = [];

        /// <summary>The closed prefixes true for the load's day (<see cref="ClosedPrefixes"/>), for its save to keep.</summary>
        public Dictionary<(string AccountId, string Currency), (DateOnly Through, long PayableMinor)> NextPrefixes { get; } = [];
    }

    /// <summary>
    /// The day before which an account's invoices may stay closed in the store for a run whose figures are for
    /// <paramref name="on"/>: the day its facts were last all told (what fell due before it is told overdue); none when
    /// its facts were never told, or were told for a later day (then every document's facts are computed again, and all
    /// load).
    /// </summary>
    private static DateOnly? ClosedBefore(string accountId, DateOnly on, WakeRows wakes) =>
        wakes.FactsOn.TryGetValue(accountId, out var told) && told <= on ? told : null;

    /// <summary>The sums without one closed invoice, taken out of the bucket its due date falls in.</summary>
    private static ClosedInvoices Without(ClosedInvoices sum, DateOnly due, long payable) => Receivables.Aging.Bucket(sum.On.DayNumber - due.DayNumber) switch
    {
        1 => sum with { Days1To30 = sum.Days1To30 - payable },
        2 => sum with { Days31To60 = sum.Days31To60 - payable },
        3 => sum with { Days61To90 = sum.Days61To90 - payable },
        _ => sum with { Over90 = sum.Over90 - payable },
    };

    /// <summary>
    /// The invoices, payments and allocations of a chunk of accounts: all of them for accounts with no day to close
    /// before; otherwise the invoices still open, with the payable of the closed ones summed into
    /// <see cref="ReceivableReads.Closed"/> per account and currency, and all payments and allocations but those of
    /// settled pairs (<c>BookSql</c>'s <c>SettledPair</c>), whose amounts move from the sums' aging buckets to
    /// <see cref="ClosedInvoices.SettledMinor"/>. An account's closed prefix (<see cref="ClosedPrefixes"/>) spares reading
    /// what was due before its day when that is at least 90 days before <paramref name="on"/> and not after the day to
    /// close before; the prefixes true for <paramref name="on"/> go to <see cref="ReceivableReads.NextPrefixes"/>.
    /// </summary>
    private async Task ReceivablesOfAccountsAsync(DbConnection connection, DbTransaction snapshot, string[] accountIds, DateOnly? on, Func<string, DateOnly?> closedBefore,
        ReceivableReads reads, CancellationToken cancellationToken)
    {
        var (invoices, payments, allocations) = (new List<InvoiceRow>(), new List<PaymentRow>(), new List<AllocationRow>());
        var prefixes = on is null ? [] : await _prefixes.ReadAsync(connection, snapshot, accountIds, cancellationToken);
        var groups = accountIds.GroupBy(a => Reads(closedBefore(a), on, prefixes.GetValueOrDefault(a))).ToList();
        foreach (var group in groups)
        {
            if (group.Key is not var (before, through, from))
            {
                var all = new { AccountIds = group.ToArray() };
                invoices.AddRange(await connection.QueryAsync<InvoiceRow>(database.Command(_sql.SelectInvoicesOfAccounts, all, snapshot, cancellationToken)));
                payments.AddRange(await connection.QueryAsync<PaymentRow>(database.Command(_sql.SelectPaymentsOfAccounts, all, snapshot, cancellationToken)));
                allocations.AddRange(await connection.QueryAsync<AllocationRow>(database.Command(_sql.SelectAllocationsOfAccounts, all, snapshot, cancellationToken)));
                continue;
            }

            var day = on!.Value;
            var open = new { AccountIds = group.ToArray(), ClosedBefore = DbText.Date(before), From = DbText.Date(from), Through = DbText.Date(through) };
            invoices.AddRange(await connection.QueryAsync<InvoiceRow>(database.Command(_sql.SelectOpenInvoicesOfAccounts, open, snapshot, cancellationToken)));
            payments.AddRange(await connection.QueryAsync<PaymentRow>(database.Command(_sql.SelectUnsettledPaymentsOfAccounts, open, snapshot, cancellationToken)));
            allocations.AddRange(await connection.QueryAsync<AllocationRow>(database.Command(_sql.SelectUnsettledAllocationsOfAccounts, open, snapshot, cancellationToken)));
            var sums = new { open.AccountIds, open.ClosedBefore, open.Through, Days30 = DbText.Date(day.AddDays(-30)), Days60 = DbText.Date(day.AddDays(-60)), Days90 = DbText.Date(day.AddDays(-90)) };
            var summed = (await SumsAsync(connection, snapshot, _sql.SelectClosedInvoiceSums, sums, cancellationToken)).ToLookup(r => r.AccountId, StringComparer.Ordinal);
            var settled = (await SumsAsync(connection, snapshot, _sql.SelectSettledSums, sums, cancellationToken)).ToDictionary(r => (r.AccountId, r.Currency));
            foreach (var accountId in group)
            {
                var prefix = through == DateOnly.MinValue ? null : prefixes[accountId].PayableMinor;
                var ofAccount = summed[accountId].ToDictionary(r => r.Currency, StringComparer.Ordinal);
                foreach (var currency in ofAccount.Keys.Union(prefix?.Keys ?? [], StringComparer.Ordinal))
                {
                    var sum = ofAccount.GetValueOrDefault(currency) ?? new BucketSums();
                    var over90 = sum.Over90 + (prefix?.GetValueOrDefault(currency) ?? 0L);
                    // Summed rows are due before the day to close before: when that is earlier than 90 days ago, all are in Over90.
                    reads.NextPrefixes[(accountId, currency)] = (day.AddDays(-90) < before ? day.AddDays(-90) : before, over90);
                    var paid = settled.GetValueOrDefault((accountId, currency)) ?? new BucketSums();
                    reads.Closed[(accountId, currency)] = new ClosedInvoices(accountId, Currency.Of(currency), day, sum.Days1To30 - paid.Days1To30, sum.Days31To60 - paid.Days31To60,
                        sum.Days61To90 - paid.Days61To90, over90 - paid.Over90) { SettledMinor = paid.Total };
                }
            }
        }

        // In the order a load of all of them gives.
        var several = groups.Count > 1;
        reads.Invoices.AddRange(several ? invoices.OrderBy(r => r.Id) : invoices);
        reads.Payments.AddRange(several ? payments.OrderBy(p => p.RecordedAt, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal) : payments);
        reads.Allocations.AddRange(several ? allocations.OrderBy(a => a.Id) : allocations);
    }

    /// <summary>
    /// Loads after all the invoices left closed that something loaded names (<paramref name="named"/>: an allocation, a
    /// dispute, a credit note, a billing entry the run reads), each leaving its account's sums: one that nothing covers
    /// leaves its aging bucket, one settled leaves <see cref="ClosedInvoices.SettledMinor"/> and loads with its allocation
    /// and payment. Everything keeps the order a full load gives: by id (payments: by when recorded) within each chunk of accounts.
    /// </summary>
    private async Task LoadNamedAsync(DbConnection connection, DbTransaction snapshot, IReadOnlySet<string> named, IReadOnlyCollection<string> accountIds, ReceivableReads reads,
        CancellationToken cancellationToken)
    {
        var chunkOf = accountIds.Chunk(InListChunk).SelectMany((c, n) => c.Select(a => (Account: a, Chunk: n))).ToDictionary(x => x.Account, x => x.Chunk, StringComparer.Ordinal);
        var afterAll = new List<InvoiceRow>();
        foreach (var chunk in named.Order(StringComparer.Ordinal).Chunk(InListChunk))
        {
            afterAll.AddRange((await connection.QueryAsync<InvoiceRow>(database.Command(_sql.SelectInvoicesByNumber, new { Numbers = chunk }, snapshot, cancellationToken)))
                .Where(row => chunkOf.ContainsKey(row.AccountId) && reads.Closed.ContainsKey((row.AccountId, row.Currency))));
        }

        // The allocations a load of the accounts left out are those of settled pairs.
        var known = reads.Allocations.Select(a => a.Id).ToHashSet();
        var settling = new List<AllocationRow>();
        foreach (var chunk in afterAll.Select(i => i.Number).Chunk(InListChunk))
        {
            settling.AddRange((await connection.QueryAsync<AllocationRow>(database.Command(_sql.SelectAllocationsOfInvoices, new { Numbers = chunk }, snapshot, cancellationToken)))
                .Where(a => !known.Contains(a.Id)));
        }

        var settled = settling.Select(a => a.InvoiceNumber).ToHashSet(StringComparer.Ordinal);
        foreach (var row in afterAll)
        {
            var (key, payable) = ((row.AccountId, row.Currency), row.NetMinor + row.TaxMinor - row.WithheldMinor);
            var sum = reads.Closed[key];
            reads.Closed[key] = settled.Contains(row.Number) ? sum with { SettledMinor = sum.SettledMinor - payable } : Without(sum, DbText.ParseDate(row.DueDate), payable);
        }

        var paymentIds = reads.Payments.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var chunk in settling.Select(a => a.SourceId).Where(id => !paymentIds.Contains(id)).Distinct(StringComparer.Ordinal).Chunk(InListChunk))
        {
            reads.Payments.AddRange(await connection.QueryAsync<PaymentRow>(database.Command(_sql.SelectPaymentsById, new { Ids = chunk }, snapshot, cancellationToken)));
        }

        reads.Invoices.AddRange(afterAll);
        Reorder(reads.Invoices, i => chunkOf[i.AccountId], Comparer<InvoiceRow>.Create((x, y) => x.Id.CompareTo(y.Id)));
        if (settling.Count > 0)
        {
            reads.Allocations.AddRange(settling);
            Reorder(reads.Allocations, a => chunkOf[a.AccountId], Comparer<AllocationRow>.Create((x, y) => x.Id.CompareTo(y.Id)));
            Reorder(reads.Payments, p => chunkOf[p.AccountId], Comparer<PaymentRow>.Create((x, y) =>
                string.CompareOrdinal(x.RecordedAt, y.RecordedAt) is var c and not 0 ? c : string.CompareOrdinal(x.Id, y.Id)));
        }
    }

    /// <summary>Sorts the rows by chunk of accounts, then as <paramref name="within"/> says (a stable sort).</summary>
    private static void Reorder<T>(List<T> rows, Func<T, int> chunk, IComparer<T> within)
    {
        var sorted = rows.OrderBy(chunk).ThenBy(r => r, within).ToList();
        rows.Clear();
        rows.AddRange(sorted);
    }

    private async Task<IEnumerable<BucketSums>> SumsAsync(DbConnection connection, DbTransaction snapshot, string sql, object parameters, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string AccountId, string Currency, long Days1To30, long Days31To60, long Days61To90, long Over90)>(
            database.Command(sql, parameters, snapshot, cancellationToken))).Select(r => new BucketSums(r.AccountId, r.Currency, r.Days1To30, r.Days31To60, r.Days61To90, r.Over90));

    /// <summary>Payable per aging bucket of one account and currency.</summary>
    private sealed record BucketSums(string AccountId = "", string Currency = "", long Days1To30 = 0, long Days31To60 = 0, long Days61To90 = 0, long Over90 = 0)
    {
        public long Total => Days1To30 + Days31To60 + Days61To90 + Over90;
    }

    /// <summary>
    /// What a load reads of an account's invoices: null, all of them; else the day to close before, the day of the
    /// closed prefix it counts (<see cref="DateOnly.MinValue"/>: none) and the first due date it reads open invoices from.
    /// </summary>
    private static (DateOnly Before, DateOnly Through, DateOnly From)? Reads(DateOnly? closedBefore, DateOnly? on, ClosedPrefix? prefix)
    {
        if (closedBefore is not { } before)
        {
            return null;
        }

        if (prefix is null || prefix.Through > before || prefix.Through > on!.Value.AddDays(-90))
        {
            return (before, DateOnly.MinValue, DateOnly.MinValue);
        }

        return (before, prefix.Through, prefix.OpenSince is { } open && open < prefix.Through ? open : prefix.Through);
    }
}
