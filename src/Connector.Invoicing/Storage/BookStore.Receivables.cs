using System.Data.Common;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// A load's receivables. Of a run, what is closed counts as sums (<see cref="ReceivablesLedger.RestoreClosed"/>): the
/// invoices nothing covers that are past due and told so stay in the store, and the invoices settled by one payment of
/// exactly their payable stay out of the book with that payment and its allocation; whatever something loaded names
/// loads after all.
/// </summary>
internal sealed partial class BookStore
{
    /// <summary>
    /// What a load leaves out of a book's receivables, for figures on <see cref="On"/>: for a run
    /// (<see cref="CloseUnpaid"/>), the closed invoices nothing covers and the settled pairs; for a payments'
    /// application, the settled pairs only (it allocates to the oldest unpaid invoices), but those of
    /// <see cref="KeepPayments"/>. With <see cref="LoadEntryInvoices"/> false, a closed invoice that only billing entries
    /// name stays left out too.
    /// </summary>
    private sealed record ReceivablesScope(DateOnly On, bool CloseUnpaid, IReadOnlySet<string> KeepPayments, bool LoadEntryInvoices = true);

    /// <summary>What a load read of its accounts' receivables, and the sums of what it left in the store.</summary>
    private sealed class ReceivableReads
    {
        /// <summary>The day the sums are for.</summary>
        public DateOnly On { get; set; }

        public List<InvoiceRow> Invoices { get; } = [];

        public List<PaymentRow> Payments { get; } = [];

        public List<AllocationRow> Allocations { get; } = [];

        public Dictionary<(string AccountId, string Currency), ClosedInvoices> Closed { get; } = [];

        /// <summary>The closed prefixes true for the load's day (<see cref="ClosedPrefixes"/>), for its save to keep.</summary>
        public Dictionary<(string AccountId, string Currency), (DateOnly Through, long PayableMinor)> NextPrefixes { get; } = [];

        /// <summary>The day before which each account's invoices may close (the accounts whose invoices were read open only).</summary>
        public Dictionary<string, DateOnly> ClosedBefore { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// For a payments' application, the accounts whose closed prefix is all settled pairs (every invoice of it paid
        /// by one payment), with its day: their invoices due before it stay in the store (<see cref="Settle"/>).
        /// </summary>
        public Dictionary<string, DateOnly> PaidBefore { get; } = new(StringComparer.Ordinal);

        /// <summary>The settled pairs left out of the book, by invoice number (<see cref="Settle"/>).</summary>
        public Dictionary<string, (AllocationRow Allocation, PaymentRow Payment)> Settled { get; } = new(StringComparer.Ordinal);
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
    /// The invoices, payments and allocations of a chunk of accounts (each allocation, for a <paramref name="scope"/>,
    /// with what <see cref="Settle"/> asks of its invoice). Every invoice loads but, for a run, those of accounts with a
    /// day to close before: of those, the invoices still open, with the payable of the closed ones summed into
    /// <see cref="ReceivableReads.Closed"/> per account and currency. An account's closed prefix
    /// (<see cref="ClosedPrefixes"/>) spares reading what was due before its day when that is at least 90 days before the
    /// run's and not after the day to close before; the prefixes true for the run's day go to
    /// <see cref="ReceivableReads.NextPrefixes"/>. A payments' application reads every invoice of its accounts but
    /// those of a prefix that the pairs read with it settle whole (<see cref="ReceivableReads.PaidBefore"/>).
    /// </summary>
    private async Task ReceivablesOfAccountsAsync(DbConnection connection, DbTransaction snapshot, string[] accountIds, ReceivablesScope? scope, Func<string, DateOnly?> closedBefore,
        Touching touching, ReceivableReads reads, CancellationToken cancellationToken)
    {
        // Payments and allocations are read for the whole chunk (a chunk's accounts fall in many groups).
        var chunk = new { AccountIds = accountIds };
        var payments = (await connection.QueryAsync<PaymentRow>(database.Command(_sql.SelectPaymentsOfAccounts, chunk, snapshot, cancellationToken))).AsList();
        var allocations = (await connection.QueryAsync<AllocationRow>(
            database.Command(scope is null ? _sql.SelectAllocationsOfAccounts : _sql.SelectAllocationsWithInvoicesOfAccounts, chunk, snapshot, cancellationToken))).AsList();
        reads.Payments.AddRange(payments);
        reads.Allocations.AddRange(allocations);
        if (scope is { CloseUnpaid: false })
        {
            await InvoicesToApplyPaymentsAsync(connection, snapshot, accountIds, scope, closedBefore, new PairRules(payments, allocations, touching, scope.KeepPayments), allocations,
                reads, cancellationToken);
            return;
        }

        var on = scope?.On;
        reads.On = on ?? default;
        var invoices = new List<InvoiceRow>();
        var prefixes = on is null ? [] : await _prefixes.ReadAsync(connection, snapshot, accountIds, cancellationToken);
        var groups = accountIds.GroupBy(a => Reads(closedBefore(a), on, prefixes.GetValueOrDefault(a))).ToList();
        foreach (var group in groups)
        {
            if (group.Key is not var (before, through, from))
            {
                invoices.AddRange(await connection.QueryAsync<InvoiceRow>(database.Command(_sql.SelectInvoicesOfAccounts, new { AccountIds = group.ToArray() }, snapshot, cancellationToken)));
                continue;
            }

            var day = on!.Value;
            var open = new { AccountIds = group.ToArray(), ClosedBefore = DbText.Date(before), From = DbText.Date(from), Through = DbText.Date(through) };
            invoices.AddRange(await connection.QueryAsync<InvoiceRow>(database.Command(_sql.SelectOpenInvoicesOfAccounts, open, snapshot, cancellationToken)));
            var sums = new { open.AccountIds, open.ClosedBefore, open.Through, Days30 = DbText.Date(day.AddDays(-30)), Days60 = DbText.Date(day.AddDays(-60)), Days90 = DbText.Date(day.AddDays(-90)) };
            var summed = (await connection.QueryAsync<(string AccountId, string Currency, long Days1To30, long Days31To60, long Days61To90, long Over90)>(
                database.Command(_sql.SelectClosedInvoiceSums, sums, snapshot, cancellationToken))).ToLookup(r => r.AccountId, StringComparer.Ordinal);
            foreach (var accountId in group)
            {
                reads.ClosedBefore[accountId] = before;
                var prefix = through == DateOnly.MinValue ? null : prefixes[accountId].PayableMinor;
                var ofAccount = summed[accountId].ToDictionary(r => r.Currency, StringComparer.Ordinal);
                foreach (var currency in ofAccount.Keys.Union(prefix?.Keys ?? [], StringComparer.Ordinal))
                {
                    var sum = ofAccount.GetValueOrDefault(currency);
                    var over90 = sum.Over90 + (prefix?.GetValueOrDefault(currency) ?? 0L);
                    reads.Closed[(accountId, currency)] = new ClosedInvoices(accountId, Currency.Of(currency), day, sum.Days1To30, sum.Days31To60, sum.Days61To90, over90);
                    // Summed rows are due before the day to close before: when that is earlier than 90 days ago, all are in Over90.
                    reads.NextPrefixes[(accountId, currency)] = (day.AddDays(-90) < before ? day.AddDays(-90) : before, over90);
                }
            }
        }

        // In the order a load of all of them gives.
        reads.Invoices.AddRange(groups.Count > 1 ? invoices.OrderBy(r => r.Id) : invoices);
    }

    /// <summary>
    /// The invoices a payments' application reads of a chunk of accounts: every one (<see cref="Settle"/> takes the settled
    /// pairs out), but those of a closed prefix that the chunk's settled pairs pay whole. The pairs' payments, summed per
    /// currency, equal the prefix's payable only when each of its invoices (payable positive) is one of them.
    /// </summary>
    private async Task InvoicesToApplyPaymentsAsync(DbConnection connection, DbTransaction snapshot, string[] accountIds, ReceivablesScope scope, Func<string, DateOnly?> closedBefore,
        PairRules rules, IEnumerable<AllocationRow> allocations, ReceivableReads reads, CancellationToken cancellationToken)
    {
        reads.On = scope.On;
        var prefixes = await _prefixes.ReadAsync(connection, snapshot, accountIds, cancellationToken);
        var paid = new Dictionary<(string AccountId, string Currency), long>();
        foreach (var allocation in allocations)
        {
            if (prefixes.TryGetValue(allocation.AccountId, out var prefix) && rules.PaymentOf(allocation, prefix.Through) is not null)
            {
                var key = (allocation.AccountId, allocation.InvoiceCurrency!);
                paid[key] = paid.GetValueOrDefault(key) + allocation.AmountMinor;
            }
        }

        // Every currency of the prefix paid exactly (nothing for one with nothing payable), and no pair in another.
        var currencies = paid.Keys.CountBy(k => k.AccountId, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        bool AllPaid(string accountId, ClosedPrefix prefix) =>
            prefix.PayableMinor.All(p => paid.GetValueOrDefault((accountId, p.Key)) == p.Value)
            && prefix.PayableMinor.Keys.Count(c => paid.ContainsKey((accountId, c))) == currencies.GetValueOrDefault(accountId);

        // Per account, the first due date read: that of its prefix all paid (or of an invoice that never closes, when earlier); null: all.
        var invoices = new List<InvoiceRow>();
        var groups = accountIds.GroupBy(a => closedBefore(a) is { } day && prefixes.TryGetValue(a, out var prefix) && prefix.Through <= day && AllPaid(a, prefix)
            ? (DateOnly?)(prefix.OpenSince is { } open && open < prefix.Through ? open : prefix.Through)
            : null).ToList();
        foreach (var group in groups)
        {
            var ids = group.ToArray();
            invoices.AddRange(await connection.QueryAsync<InvoiceRow>(group.Key is { } from
                ? database.Command(_sql.SelectInvoicesOfAccountsFrom, new { AccountIds = ids, From = DbText.Date(from) }, snapshot, cancellationToken)
                : database.Command(_sql.SelectInvoicesOfAccounts, new { AccountIds = ids }, snapshot, cancellationToken)));
            foreach (var accountId in ids)
            {
                if (closedBefore(accountId) is { } day)
                {
                    reads.ClosedBefore[accountId] = day;
                }

                if (group.Key is not null)
                {
                    reads.PaidBefore[accountId] = prefixes[accountId].Through;
                }
            }
        }

        reads.Invoices.AddRange(groups.Count > 1 ? invoices.OrderBy(r => r.Id) : invoices);
    }

    /// <summary>
    /// Takes out of the book the settled pairs of the accounts whose invoices close: an invoice closed (due before its
    /// account's day to close before, payable positive, not split in installments) whose only allocation is from a
    /// payment of exactly its payable that paid nothing else and was never reversed nor refunded, the invoice neither
    /// disputed nor corrected by a credit note. Such an invoice is paid and stays paid by time alone: its payable moves
    /// from the closed sums' aging bucket to <see cref="ClosedInvoices.SettledMinor"/> (billed and paid), and the pair
    /// waits in <see cref="ReceivableReads.Settled"/> in case something loaded names the invoice. Of a payments'
    /// application, the invoices of a prefix all paid (<see cref="ReceivableReads.PaidBefore"/>) were not read: their
    /// pairs settle all the same. Nothing of this is kept: a later reversal, refund, dispute, credit note or second
    /// allocation simply stops the pair being settled (and a prefix being all paid).
    /// </summary>
    private static void Settle(ReceivableReads reads, Touching touching, IReadOnlySet<string> keepPayments)
    {
        if (reads.ClosedBefore.Count == 0)
        {
            return;
        }

        var rules = new PairRules(reads.Payments, reads.Allocations, touching, keepPayments);
        var loadedInvoices = reads.Invoices.Select(i => i.Number).ToHashSet(StringComparer.Ordinal);
        foreach (var allocation in reads.Allocations)
        {
            if (reads.ClosedBefore.TryGetValue(allocation.AccountId, out var before) && rules.PaymentOf(allocation, before) is { } payment)
            {
                // A run's load left the invoice closed, in the sums' aging buckets; a payments' application loaded it,
                // or left it in the store with the rest of a prefix all paid.
                var (currency, due) = (allocation.InvoiceCurrency!, DbText.ParseDate(allocation.InvoiceDueDate!));
                var key = (allocation.AccountId, currency);
                var sum = reads.Closed.GetValueOrDefault(key);
                var loaded = loadedInvoices.Contains(allocation.InvoiceNumber)
                    || (reads.PaidBefore.TryGetValue(allocation.AccountId, out var paidBefore) && due < paidBefore);
                if (sum is null && !loaded)
                {
                    continue;
                }

                sum ??= new ClosedInvoices(allocation.AccountId, Currency.Of(currency), reads.On, 0, 0, 0, 0);
                reads.Settled[allocation.InvoiceNumber] = (allocation, payment);
                reads.Closed[key] = (loaded ? sum : Without(sum, due, allocation.AmountMinor)) with { SettledMinor = sum.SettledMinor + allocation.AmountMinor };
            }
        }

        var settledPayments = reads.Settled.Values.Select(s => s.Payment.Id).ToHashSet(StringComparer.Ordinal);
        reads.Payments.RemoveAll(p => settledPayments.Contains(p.Id));
        reads.Allocations.RemoveAll(a => reads.Settled.TryGetValue(a.InvoiceNumber, out var pair) && pair.Allocation.Id == a.Id);
        reads.Invoices.RemoveAll(i => reads.Settled.ContainsKey(i.Number));
    }

    /// <summary>
    /// Loads after all the invoices left closed that something loaded names (<paramref name="named"/>: an allocation, a
    /// dispute, a credit note, a billing entry the run reads), each leaving its account's sums: one that nothing covers
    /// leaves its aging bucket, one settled leaves <see cref="ClosedInvoices.SettledMinor"/> and comes back with its
    /// allocation and payment. Everything keeps the order a full load gives: by id (payments: by when recorded) within
    /// each chunk of accounts.
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

        var back = 0;
        foreach (var row in afterAll)
        {
            var (key, payable) = ((row.AccountId, row.Currency), row.NetMinor + row.TaxMinor - row.WithheldMinor);
            var sum = reads.Closed[key];
            if (reads.Settled.Remove(row.Number, out var pair))
            {
                reads.Closed[key] = sum with { SettledMinor = sum.SettledMinor - payable };
                reads.Allocations.Add(pair.Allocation);
                reads.Payments.Add(pair.Payment);
                back++;
            }
            else
            {
                reads.Closed[key] = Without(sum, DbText.ParseDate(row.DueDate), payable);
            }
        }

        reads.Invoices.AddRange(afterAll);
        Reorder(reads.Invoices, i => chunkOf[i.AccountId], Comparer<InvoiceRow>.Create((x, y) => x.Id.CompareTo(y.Id)));
        if (back > 0)
        {
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

    /// <summary>The rows of a load that may touch a settled pair: credit notes (correcting its invoice), refunds (of its payment) and disputes (of its invoice).</summary>
    private sealed record Touching(IReadOnlyList<CreditNoteRow> Notes, IReadOnlyList<RefundRow> Refunds, IReadOnlyList<DisputeRow> Disputes);

    /// <summary>
    /// Whether an allocation and its payment settle an invoice (<see cref="Settle"/>), among the rows of a load: the
    /// allocation, the payment's only one, pays the invoice's whole payable (not split in installments, due before a day)
    /// with the whole of a payment of the same account and currency, never reversed nor refunded nor to be looked up; and
    /// the invoice has no other allocation, no dispute and no credit note.
    /// </summary>
    private sealed class PairRules(IEnumerable<PaymentRow> payments, IReadOnlyCollection<AllocationRow> allocations, Touching touching, IReadOnlySet<string> keepPayments)
    {
        private readonly Dictionary<string, PaymentRow> _payments = payments.ToDictionary(p => p.Id, StringComparer.Ordinal);
        private readonly Dictionary<(string Kind, string Id), int> _bySource = allocations.CountBy(a => (a.SourceKind, a.SourceId)).ToDictionary();
        private readonly Dictionary<string, int> _byInvoice = allocations.CountBy(a => a.InvoiceNumber, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        private readonly HashSet<string> _refunded = touching.Refunds.Where(r => r.SourceKind == nameof(CreditSource.Payment)).Select(r => r.SourceId).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<string> _touched = touching.Disputes.Select(d => d.InvoiceNumber).Concat(touching.Notes.Select(n => n.CorrectsNumber).OfType<string>()).ToHashSet(StringComparer.Ordinal);

        /// <summary>The payment that with <paramref name="allocation"/> settles an invoice due before <paramref name="before"/>; null when they do not.</summary>
        public PaymentRow? PaymentOf(AllocationRow allocation, DateOnly before) =>
            allocation.SourceKind == nameof(CreditSource.Payment)
            && allocation.InvoiceDueDate is { } due && allocation.InvoiceCurrency is { } currency && DbText.ParseDate(due) < before
            && allocation.InvoicePayableMinor == allocation.AmountMinor && allocation.InvoiceSplit == 0
            && _payments.TryGetValue(allocation.SourceId, out var payment) && payment.AccountId == allocation.AccountId && payment.Currency == currency
            && payment.AmountMinor == allocation.AmountMinor && payment.ReversedOn is null && !_refunded.Contains(payment.Id) && !keepPayments.Contains(payment.Id)
            && _bySource[(allocation.SourceKind, allocation.SourceId)] == 1 && _byInvoice[allocation.InvoiceNumber] == 1 && !_touched.Contains(allocation.InvoiceNumber)
                ? payment
                : null;
    }
}
