using System.Data.Common;
using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The billing book on disk. <see cref="LoadAsync(IReadOnlyCollection{string}, CancellationToken)"/> reads a batch of accounts whole (their lines, what was billed,
/// their documents and receivables) into a <see cref="BillingBook"/>; the engine works on it in memory, exactly as
/// <c>connector simulate</c> does; <see cref="SaveAsync(LoadedBook, DateOnly, CancellationToken)"/> appends what it added in one transaction: documents,
/// ledger entries, payments, allocations and disputes, and tells the <see cref="IPostingJournal"/> in the same transaction. Nothing saved is ever updated. Numbers are
/// claimed by an optimistic check on each series: when another writer took numbers meanwhile, the save rolls back whole
/// and throws <see cref="BookConflictException"/>, so numbering stays gapless and a retry starts from a fresh load.
/// </summary>
internal sealed partial class BookStore(ConnectorDatabase database, TimeProvider timeProvider, IOptions<BillingOptions> options, IPostingJournal postingJournal,
    Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null, Microsoft.Extensions.Logging.ILogger<BookStore>? logger = null, VeriFactu.VeriFactuLedger? veriFactu = null)
{
    private const int InListChunk = 500;
    private readonly BookSql _sql = BookSql.For(database.Provider);
    private readonly OrderSql _orders = OrderSql.For(database.Provider);
    private readonly AccountWakes _wakes = new(database);
    private readonly ClosedPrefixes _prefixes = new(database);
    private readonly Lazy<string> _settingsFingerprint = new(() => AccountWakes.Fingerprint(options.Value));

    /// <summary>How work on a book that met a concurrent writer is redone (<see cref="BookConflicts"/>): wrap a load, the work and its save.</summary>
    public Polly.ResiliencePipeline ConflictRetries { get; } = BookConflicts.Resolve(pipelines, timeProvider);

    /// <summary>Accounts that have order lines, in id order: the batches a run walks.</summary>
    public async Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(database.Command(_sql.SelectAccountIdsWithLines, null, cancellationToken))];
    }

    /// <summary>The accounts with lines a run with <paramref name="targetDate"/> on <paramref name="on"/> must load: those whose dates have come, or whose inputs or the settings changed (<see cref="AccountWakes"/>).</summary>
    public Task<IReadOnlyList<string>> AccountsToRunAsync(DateOnly targetDate, DateOnly on, CancellationToken cancellationToken) =>
        _wakes.AccountsToRunAsync(targetDate, on, _settingsFingerprint.Value, cancellationToken);

    /// <summary>Every stored account's name, by id (for reports a person reads).</summary>
    public async Task<IReadOnlyDictionary<string, string>> AccountNamesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string Name)>(database.Command(_sql.SelectAccountNames, null, cancellationToken));
        return rows.ToDictionary(r => r.AccountId, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The accounts and lines of these orders (for billing some orders now).</summary>
    public async Task<(IReadOnlyList<string> AccountIds, IReadOnlySet<string> LineIds)> LinesOfOrdersAsync(IReadOnlyCollection<string> orderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        var rows = new List<(string AccountId, string LineId)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in orderIds.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            rows.AddRange(await connection.QueryAsync<(string AccountId, string LineId)>(database.Command(_sql.SelectLinesOfOrders, new { OrderIds = chunk }, cancellationToken)));
        }

        return ([.. rows.Select(r => r.AccountId).Distinct(StringComparer.Ordinal)], rows.Select(r => r.LineId).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Whether any stored order belongs to this invoice batch (the mapping's invoiceBatch input).</summary>
    public async Task<bool> InvoiceBatchExistsAsync(string invoiceBatch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(database.Command(_sql.CountOrdersOfInvoiceBatch, new { InvoiceBatch = invoiceBatch }, cancellationToken)) > 0;
    }

    /// <summary>Every account with orders, with the currency it is billed in.</summary>
    public async Task<IReadOnlyDictionary<string, Currency>> AccountCurrenciesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string Currency)>(database.Command(_sql.SelectAccountCurrencies, null, cancellationToken));
        return rows.ToDictionary(r => r.AccountId, r => Currency.Of(r.Currency), StringComparer.Ordinal);
    }

    public BookSettings Settings() => BookSettings.From(options.Value);

    /// <summary>The overload below with its optional arguments left out.</summary>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken) => LoadAsync(accountIds, null, cancellationToken);

    /// <summary>
    /// The accounts' receivables only (documents, payments, allocations, refunds, disputes): no order line, so no billing
    /// entry either, which is all a payment's application needs (it bills nothing).
    /// </summary>
    /// <param name="accountIds">The accounts to load.</param>
    /// <param name="asOf">The day the book's figures are for: of an account whose facts were all told on a day not after it, the invoices settled by one payment (<see cref="Settle"/>) stay out of the book with their payments, counted as billed and paid; those of a closed prefix all so settled are not even read.</param>
    /// <param name="keepPayments">Payments that load even when they settle an invoice (those the application is about to look up).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public Task<LoadedBook> LoadReceivablesAsync(IReadOnlyCollection<string> accountIds, DateOnly asOf, IReadOnlySet<string> keepPayments, CancellationToken cancellationToken) =>
        LoadCoreAsync(accountIds, static _ => false, openEntriesOnly: false, new ReceivablesScope(asOf, CloseUnpaid: false, keepPayments), cancellationToken);

    /// <summary>The overload below reading every billing entry (what anything but a run needs: a credit and rebill restates old entries).</summary>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, CancellationToken cancellationToken) =>
        LoadAsync(accountIds, includeLine, openEntriesOnly: false, cancellationToken);

    /// <summary>The overload below for a run, without leaving closed invoices in the store.</summary>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, bool openEntriesOnly, CancellationToken cancellationToken) =>
        LoadAsync(accountIds, includeLine, openEntriesOnly, null, cancellationToken);

    /// <summary>
    /// Reads the accounts' lines, billing ledger, documents and receivables into a fresh book. A line the engine cannot
    /// take (a value it cannot compute with) is left out and reported in <see cref="LoadedBook.Faults"/>, unless it is
    /// already held; the rest of the book loads.
    /// </summary>
    /// <param name="accountIds">The accounts to load.</param>
    /// <param name="includeLine">When given, only the lines it accepts are loaded (to find which line fails).</param>
    /// <param name="openEntriesOnly">
    /// True for a run: of an account whose entries are settled before a day (<see cref="WakeRows.SettledBefore"/>), only
    /// the entries of whole periods ending on or after it are read, and the book counts every earlier piece billed.
    /// </param>
    /// <param name="closedOn">
    /// For a run: the day its figures are for. Of an account whose facts were all told on a day not after it, the invoices
    /// closed before that day (due whole before it, payable positive) stay in the store, and the book counts their sums per
    /// aging bucket on this day (<see cref="ReceivablesLedger.RestoreClosed"/>); any that something loaded names (an
    /// allocation, a dispute, a credit note, a billing entry) is loaded after all.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, bool openEntriesOnly, DateOnly? closedOn,
        CancellationToken cancellationToken) =>
        LoadAsync(accountIds, includeLine, openEntriesOnly, closedOn, loadEntryInvoices: true, cancellationToken);

    /// <summary>
    /// The overload above; with <paramref name="loadEntryInvoices"/> false, a closed invoice only billing entries name
    /// stays in the store too, when those entries are of an account whose inputs did not change since a run took all its
    /// lines (and not of a usage line). An annual line's open period names an invoice of up to a year ago, which the
    /// engine needs only to credit it, and credits come of changed inputs: the book knows such invoices by number
    /// (<see cref="ReceivablesLedger.LeaveInStore"/>), and a run whose engine asks for one after all (an amendment
    /// stored earlier that falls due) gets <see cref="InvoiceInStoreException"/> and loads again with true.
    /// </summary>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, bool openEntriesOnly, DateOnly? closedOn, bool loadEntryInvoices,
        CancellationToken cancellationToken) =>
        LoadCoreAsync(accountIds, includeLine, openEntriesOnly, closedOn is { } on ? new ReceivablesScope(on, CloseUnpaid: true, new HashSet<string>(), loadEntryInvoices) : null,
            cancellationToken);

    private async Task<LoadedBook> LoadCoreAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, bool openEntriesOnly, ReceivablesScope? scope,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var sql = _sql;
        var book = new BillingBook(Settings());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);

        var wakes = await _wakes.ReadAsync(connection, snapshot, accountIds, _settingsFingerprint.Value, cancellationToken);
        var lines = new List<BillableLineRow>();
        var receivables = new ReceivableReads();
        var notes = new List<CreditNoteRow>();
        var refunds = new List<RefundRow>();
        var disputes = new List<DisputeRow>();
        foreach (var chunk in accountIds.Chunk(InListChunk))
        {
            var ids = new { AccountIds = chunk };
            lines.AddRange(await connection.QueryAsync<BillableLineRow>(database.Command(sql.SelectBillableLinesOfAccounts, ids, snapshot, cancellationToken)));
            var touching = new Touching(
                [.. await connection.QueryAsync<CreditNoteRow>(database.Command(sql.SelectCreditNotesOfAccounts, ids, snapshot, cancellationToken))],
                [.. await connection.QueryAsync<RefundRow>(database.Command(sql.SelectRefundsOfAccounts, ids, snapshot, cancellationToken))],
                [.. await connection.QueryAsync<DisputeRow>(database.Command(sql.SelectDisputesOfAccounts, ids, snapshot, cancellationToken))]);
            notes.AddRange(touching.Notes);
            refunds.AddRange(touching.Refunds);
            disputes.AddRange(touching.Disputes);
            await ReceivablesOfAccountsAsync(connection, snapshot, chunk, scope, scope is { } s ? a => ClosedBefore(a, s.On, wakes) : _ => null, touching, receivables, cancellationToken);
        }

        var invoicesRead = receivables.Invoices.Count;
        Settle(receivables, new Touching(notes, refunds, disputes), scope?.KeepPayments ?? new HashSet<string>());
        var settled = openEntriesOnly ? wakes.SettledBefore : [];
        var faults = new List<HeldLine>();
        var orders = await AttachSchedulesAsync(connection, snapshot, BillableLineRow.ToOrders(lines.Where(l => includeLine?.Invoke(l.LineId) ?? true), faults), faults, cancellationToken);
        BookAssembler.Fill(book, orders, options.Value.BillingDayOfMonth, faults);
        await RestoreUsageAsync(connection, snapshot, book, orders.SelectMany(o => o.Lines).Where(l => book.HasLine(l.LineId)).Select(l => l.LineId), cancellationToken);
        var booked = orders.SelectMany(o => o.Lines.Where(l => book.HasLine(l.LineId)).Select(l => (Line: l, Order: o))).ToList();
        var currencyByLine = booked.ToDictionary(b => b.Line.LineId, b => b.Order.Currency, StringComparer.Ordinal);

        // A usage line's entries are read whole: its rating and forecast look back over billed periods.
        var entries = new List<LedgerEntry>();
        // The invoices entries name, apart: those of lines whose account's entries are settled before a day (its inputs
        // unchanged since a run took all its lines; no usage line), which a run may leave in the store (a credit on
        // them is rare), and the others' (an amendment or a cancellation credits them), which it loads.
        var settledNamed = new HashSet<string>(StringComparer.Ordinal);
        var changedNamed = new HashSet<string>(StringComparer.Ordinal);
        var stored = booked.Count == 0 ? default
            : await connection.QuerySingleAsync<(long? First, long? Last)>(database.Command(sql.SelectBillingEntryYears, null, snapshot, cancellationToken));
        foreach (var group in booked.GroupBy(b => b.Line.ChargeType != Schedules.ChargeType.Usage && settled.TryGetValue(b.Order.Account.AccountId, out var day) ? day : (DateOnly?)null))
        {
            var years = EntryYears(stored, group.Key?.Year ?? int.MinValue);
            foreach (var chunk in years.Length == 0 ? [] : group.Select(b => b.Line.LineId).Chunk(InListChunk))
            {
                var rows = group.Key is { } since
                    ? await connection.QueryAsync<BillingEntryRow>(database.Command(sql.SelectBillingEntriesSince, new { Years = years, LineIds = chunk, Since = DbText.Date(since) }, snapshot, cancellationToken))
                    : await connection.QueryAsync<BillingEntryRow>(database.Command(sql.SelectBillingEntries, new { Years = years, LineIds = chunk }, snapshot, cancellationToken));
                entries.AddRange(rows.Select(r => (r.Id, Entry: r.ToDomain(currencyByLine[r.LineId]))).OrderBy(r => r.Id).Select(r => r.Entry));
                (group.Key is null ? changedNamed : settledNamed).UnionWith(rows.SelectMany(r => new[] { r.InvoiceNumber, r.DocumentNumber }));
            }
        }

        var leftNamed = new HashSet<string>(StringComparer.Ordinal);
        if (receivables.Closed.Count > 0)
        {
            // An invoice left closed that something loaded names is loaded after all, and leaves the sums; one only
            // billing entries name may stay in the store, known by number.
            var loadEntryInvoices = scope?.LoadEntryInvoices ?? true;
            var named = new HashSet<string>(changedNamed, StringComparer.Ordinal);
            if (loadEntryInvoices)
            {
                named.UnionWith(settledNamed);
            }

            named.UnionWith(receivables.Allocations.Select(a => a.InvoiceNumber));
            named.UnionWith(disputes.Select(d => d.InvoiceNumber));
            named.UnionWith(notes.Select(n => n.CorrectsNumber).OfType<string>());
            named.ExceptWith(receivables.Invoices.Select(i => i.Number));
            named.Remove("");
            await LoadNamedAsync(connection, snapshot, named, accountIds, receivables, cancellationToken);
            if (!loadEntryInvoices)
            {
                leftNamed.UnionWith(settledNamed.Except(receivables.Invoices.Select(i => i.Number)));
            }
        }

        var (invoices, payments, allocations, closed) = (receivables.Invoices, receivables.Payments, receivables.Allocations, receivables.Closed);
        var (loadedInvoices, deferred) = await InvoicesAsync(connection, snapshot, invoices, cancellationToken);
        var loadedNotes = await CreditNotesAsync(connection, snapshot, notes, cancellationToken);
        var currencyByInvoice = loadedInvoices.ToDictionary(i => i.Number, i => i.Currency, StringComparer.Ordinal);
        book.Ledger.Restore(
            loadedInvoices,
            loadedNotes,
            payments.Select(p => p.ToDomain()),
            allocations.Select(a => a.ToDomain(currencyByInvoice[a.InvoiceNumber])),
            refunds.Select(r => r.ToDomain()),
            disputes.Select(d => d.ToDomain(currencyByInvoice[d.InvoiceNumber])));
        book.Ledger.RestoreClosed(closed.Values.Where(c => c.PayableMinor != 0 || c.SettledMinor != 0));
        book.Ledger.LeaveInStore(leftNamed.Except(notes.Select(n => n.Number)).Where(n => n.Length > 0));

        var series = await connection.QueryAsync<NumberSeriesRow>(database.Command(sql.SelectNumberSeries, null, snapshot, cancellationToken));
        var sequences = series.ToDictionary(s => s.Series, s => s.NextValue - 1, StringComparer.Ordinal);
        var lastIssued = series.Where(s => s.LastIssueDate is not null).ToDictionary(s => s.Series, s => DbText.ParseDate(s.LastIssueDate!), StringComparer.Ordinal);
        book.Restore(entries, sequences, lastIssued, settled);
        return new LoadedBook(book, new HashSet<string>(accountIds, StringComparer.Ordinal), sequences, book.EntryLog.Count, book.Ledger.Marks)
        {
            UsageBilledCount = book.UsageBilledLog.Count,
            InvoicesRead = invoicesRead,
            Faults = faults,
            Generations = wakes.Generations,
            FactsOn = wakes.FactsOn,
            NextPrefixes = receivables.NextPrefixes,
            Deferred = deferred,
            LinesByAccount = lines.Where(l => l.HoldBilling == 0).ToLookup(l => l.AccountId, l => l.LineId, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The years a load reads entries of (their whole period ends in it, the index's first key): each from
    /// <paramref name="from"/>, or the first stored, to the last stored; none when nothing is stored.
    /// </summary>
    private static int[] EntryYears((long? First, long? Last) stored, int from) =>
        stored is { First: { } first, Last: { } last } && Math.Max(first, from) is var start && start <= last
            ? [.. Enumerable.Range((int)start, (int)(last - start + 1))]
            : [];

    /// <summary>
    /// The accounts' posted invoices with their totals and the installments of those split in several, which balances need;
    /// each invoice's lines, taxes, withholdings and parties are read when first asked for (<see cref="DeferredInvoices"/>), so a book's history costs one row per invoice.
    /// </summary>
    private async Task<(List<Invoice> Invoices, DeferredInvoices Deferred)> InvoicesAsync(DbConnection connection, DbTransaction? transaction, List<InvoiceRow> rows,
        CancellationToken cancellationToken)
    {
        var installments = new List<InstallmentRow>();
        foreach (var chunk in rows.Select(i => i.Id).Chunk(InListChunk))
        {
            installments.AddRange(await connection.QueryAsync<InstallmentRow>(database.Command(_sql.SelectSplitInstallments, new { Ids = chunk }, transaction, cancellationToken)));
        }

        var installmentsBy = installments.ToLookup(i => i.InvoiceId);
        var rowsById = rows.ToDictionary(r => r.Id);
        var deferred = new DeferredInvoices(ids => ReadWhole(ids, rowsById));
        return ([.. rows.Select(row => deferred.Defer(row, installmentsBy[row.Id]))], deferred);
    }

    /// <summary>
    /// Invoices read whole: their lines, taxes and withholdings, outside any load's snapshot (posted rows never change).
    /// The engine asks synchronously, in memory; the read runs on the thread pool and is waited for.
    /// </summary>
    private IReadOnlyDictionary<long, Invoice> ReadWhole(IReadOnlyList<long> ids, Dictionary<long, InvoiceRow> rows) => Task.Run(async () =>
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var lines = new List<InvoiceLineRow>();
        var taxes = new List<InvoiceTaxRow>();
        var withholdings = new List<WithholdingRow>();
        var parties = new Dictionary<long, (string Seller, string Buyer)>();
        foreach (var chunk in ids.Chunk(InListChunk))
        {
            foreach (var row in await connection.QueryAsync<(long Id, string Seller, string Buyer)>(database.Command(_sql.SelectInvoiceParties, new { Ids = chunk }, CancellationToken.None)))
            {
                parties[row.Id] = (row.Seller, row.Buyer);
            }

            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(database.Command(_sql.SelectInvoiceLines, new { InvoiceIds = chunk }, CancellationToken.None)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(database.Command(_sql.SelectInvoiceTaxes, new { InvoiceIds = chunk }, CancellationToken.None)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(database.Command(_sql.SelectInvoiceWithholdings, new { Ids = chunk }, CancellationToken.None)));
        }

        var (linesBy, taxesBy, withholdingsBy) = (lines.ToLookup(l => l.InvoiceId), taxes.ToLookup(t => t.InvoiceId), withholdings.ToLookup(w => w.OwnerId));
        var parsed = new Dictionary<string, Party>(StringComparer.Ordinal); // an account's invoices repeat one seller and one buyer
        Party Parse(string json) => parsed.TryGetValue(json, out var party) ? party : parsed[json] = PartyJson.Parse(json);
        return (IReadOnlyDictionary<long, Invoice>)ids.ToDictionary(id => id, id => (rows[id] with { Seller = parties[id].Seller, Buyer = parties[id].Buyer })
            .ToDomain(linesBy[id], taxesBy[id], withholdingsBy[id], [], Parse));
    }).GetAwaiter().GetResult();

    private async Task<List<CreditNote>> CreditNotesAsync(DbConnection connection, DbTransaction? transaction, List<CreditNoteRow> rows, CancellationToken cancellationToken)
    {
        var lines = new List<InvoiceLineRow>();
        var taxes = new List<InvoiceTaxRow>();
        var withholdings = new List<WithholdingRow>();
        foreach (var chunk in rows.Select(n => n.Id).Chunk(InListChunk))
        {
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(database.Command(_sql.SelectCreditNoteLines, new { Ids = chunk }, transaction, cancellationToken)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(database.Command(_sql.SelectCreditNoteTaxes, new { Ids = chunk }, transaction, cancellationToken)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(database.Command(_sql.SelectCreditNoteWithholdings, new { Ids = chunk }, transaction, cancellationToken)));
        }

        var linesBy = lines.ToLookup(l => l.InvoiceId);
        var taxesBy = taxes.ToLookup(t => t.InvoiceId);
        var withholdingsBy = withholdings.ToLookup(w => w.OwnerId);
        return [.. rows.Select(n => n.ToDomain(linesBy[n.Id], taxesBy[n.Id], withholdingsBy[n.Id]))];
    }

}
