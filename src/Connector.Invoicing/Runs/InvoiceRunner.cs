using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Runs;

/// <summary>
/// An invoice run on the stored orders: account batch by account batch, the billing book is loaded, the engine bills
/// what is due by the target date (and issues the credit notes that shortened lines call for), and the book saves what
/// was posted. Each (line, period) is billed once however often runs repeat, overlap or crash; a batch that meets a
/// concurrent writer is loaded again and retried, so numbering stays gapless.
/// </summary>
internal sealed class InvoiceRunner(BookStore store, BillingClock clock)
{
    /// <summary>
    /// Accounts loaded and saved together; bounds memory and the length of one transaction. 200 accounts of 50 lines hold
    /// about 35 MB (the backfill bench); more per batch saves little time and costs memory.
    /// </summary>
    public const int AccountsPerBatch = 200;

    /// <summary>The overload below with its optional arguments left out.</summary>
    public Task<InvoiceRunResult> RunAsync(DateOnly targetDate, bool dryRun, CancellationToken cancellationToken) =>
        RunAsync(targetDate, dryRun, progress: null, invoiceBatch: null, cancellationToken);

    /// <summary>Bills everything due by <paramref name="targetDate"/>; documents are dated today in the billing time zone.</summary>
    /// <param name="targetDate">The last date whose charges are due.</param>
    /// <param name="dryRun">True: draft only, post and save nothing.</param>
    /// <param name="cancellationToken">Stops between batches; each saved batch is committed whole.</param>
    /// <param name="progress">Told (accounts done, accounts in all) after each batch, for long runs.</param>
    /// <param name="invoiceBatch">Only orders of this invoice batch (Salesforce Billing's Invoice Batch); null bills all.</param>
    public async Task<InvoiceRunResult> RunAsync(DateOnly targetDate, bool dryRun, IProgress<(int Done, int Total)>? progress, string? invoiceBatch, CancellationToken cancellationToken)
    {
        var on = clock.Today();
        var accounts = await store.AccountsToRunAsync(targetDate, on, cancellationToken);
        var invoices = new List<Invoice>();
        var notes = new List<CreditNote>();
        var held = new List<HeldLine>();
        var done = 0;
        foreach (var batch in accounts.Chunk(AccountsPerBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = new Run(on, targetDate, dryRun, invoiceBatch);
            var result = await RunIsolatedAsync(batch, run, held, cancellationToken);
            invoices.AddRange(result.Invoices);
            notes.AddRange(result.CreditNotes);
            done += batch.Length;
            progress?.Report((done, accounts.Count));
        }

        return new InvoiceRunResult(targetDate, dryRun, invoices, notes) { HeldLines = held };
    }

    /// <summary>
    /// Bills now what is due by <paramref name="targetDate"/> on these orders only (a sales user's "bill now", or an
    /// order just activated): their accounts' books are loaded with only these orders' lines, so other orders wait for
    /// their run. Each (line, period) is still billed once, whoever bills it first.
    /// </summary>
    public async Task<InvoiceRunResult> RunForOrdersAsync(IReadOnlyCollection<string> orderIds, DateOnly targetDate, CancellationToken cancellationToken)
    {
        var (accounts, lines) = await store.LinesOfOrdersAsync(orderIds, cancellationToken);
        var invoices = new List<Invoice>();
        var notes = new List<CreditNote>();
        var held = new List<HeldLine>();
        foreach (var batch in accounts.Chunk(AccountsPerBatch))
        {
            var result = await RunIsolatedAsync(batch, new Run(clock.Today(), targetDate, false, null, lines.Contains), held, cancellationToken);
            invoices.AddRange(result.Invoices);
            notes.AddRange(result.CreditNotes);
        }

        return new InvoiceRunResult(targetDate, false, invoices, notes) { HeldLines = held };
    }

    /// <summary>
    /// Whether an exception raised by the engine (pure computation, no I/O) comes from the data it was given: anything
    /// but cancellation, the process running out of memory, and a document dated out of order (the clock or an
    /// operator's event, not a record). Such a failure is one record's, never the run's.
    /// </summary>
    public static bool IsEngineFault(Exception exception) => exception is not (OperationCanceledException or OutOfMemoryException or Numbering.DocumentDateException);

    /// <summary>
    /// A batch, isolating data faults to the smallest unit: when the engine fails on the batch, each account runs on its
    /// own; when it fails on an account, each line is tried alone to find the ones it cannot bill, which are held (with a
    /// quarantine row) and the account runs without them. Storage failures are not isolated: they fail the run.
    /// </summary>
    private async Task<RunResult> RunIsolatedAsync(IReadOnlyCollection<string> accounts, Run run, List<HeldLine> held, CancellationToken cancellationToken)
    {
        try
        {
            return await RunBatchAsync(accounts, run, held, null, cancellationToken);
        }
        catch (EngineFaultException) when (accounts.Count > 1)
        {
            var results = new List<RunResult>();
            foreach (var account in accounts)
            {
                results.Add(await RunIsolatedAsync([account], run, held, cancellationToken));
            }

            return new RunResult(run.On, run.TargetDate, run.DryRun, [.. results.SelectMany(r => r.Invoices)], [.. results.SelectMany(r => r.CreditNotes)]);
        }
        catch (EngineFaultException fault)
        {
            var account = accounts.Single();
            var faulty = await FaultyLinesAsync(account, run, fault.LineIds, cancellationToken);
            if (faulty.Count == 0)
            {
                // No line fails alone: they fail together, so the account's lines are held together.
                faulty = [.. fault.LineIds.Select(id => new HeldLine(id, account, $"the lines of account {account} cannot be billed together: {fault.InnerException?.Message}"))];
            }

            await HoldAsync(faulty, run, held, cancellationToken);
            var left = faulty.Select(f => f.LineId).ToHashSet(StringComparer.Ordinal);
            try
            {
                return await RunBatchAsync(accounts, run, held, id => !left.Contains(id), cancellationToken);
            }
            catch (EngineFaultException again)
            {
                await HoldAsync([.. again.LineIds.Where(id => !left.Contains(id)).Select(id => new HeldLine(id, account, again.InnerException?.Message ?? "the engine failed"))], run, held, cancellationToken);
                return new RunResult(run.On, run.TargetDate, run.DryRun, [], []);
            }
        }
    }

    /// <summary>The lines of an account the engine fails on when each is billed alone (in a dry run: nothing is saved).</summary>
    private async Task<List<HeldLine>> FaultyLinesAsync(string account, Run run, IReadOnlyList<string> lineIds, CancellationToken cancellationToken)
    {
        var faulty = new List<HeldLine>();
        foreach (var lineId in lineIds)
        {
            var loaded = await store.LoadAsync([account], run.Include(id => id == lineId), cancellationToken);
            try
            {
                loaded.Book.Run(run.On, run.TargetDate, dryRun: true, loaded.AccountIds, run.InvoiceBatch);
            }
            catch (Exception ex) when (IsEngineFault(ex))
            {
                faulty.Add(new HeldLine(lineId, account, ex.Message));
            }
        }

        return faulty;
    }

    private async Task HoldAsync(IReadOnlyList<HeldLine> lines, Run run, List<HeldLine> held, CancellationToken cancellationToken)
    {
        if (!run.DryRun)
        {
            await store.HoldLinesAsync(lines, cancellationToken);
        }

        held.AddRange(lines.Where(l => !held.Exists(h => h.LineId == l.LineId)));
    }

    /// <summary>
    /// What a run on <paramref name="targetDate"/> would post for these orders, through the same engine, in memory (for
    /// <c>mappings explain</c> and previews).
    /// </summary>
    public static RunResult Preview(IReadOnlyList<BillableOrder> orders, DateOnly targetDate, BillingOptions options, IReadOnlyList<Usage.UsageRecord>? usage = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(options);
        var book = new BillingBook(BookSettings.From(options));
        BookAssembler.Fill(book, orders, options.BillingDayOfMonth, []);
        book.RestoreUsage(usage ?? [], new Dictionary<string, string?>());
        return book.Run(targetDate, targetDate, dryRun: true);
    }

    /// <summary>How a stored order line is described on a document in <paramref name="language"/> (the buyer's).</summary>
    public static string Describe(string orderNumber, BillableLine line, Documents.Languages.DocumentLanguage language)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(language);
        return line.ChargeType switch
        {
            ChargeType.OneTime => language.Text("line.oneTime", ("product", line.ProductName), ("order", orderNumber)),
            ChargeType.Usage => language.Text("line.usage", ("product", line.ProductName), ("order", orderNumber)),
            _ => language.Text("line.recurring", ("product", line.ProductName), ("order", orderNumber),
                ("frequency", line.Frequency is { } f ? language.Text("frequency." + f) : "")),
        };
    }

    private async Task<RunResult> RunBatchAsync(IReadOnlyCollection<string> batch, Run run, List<HeldLine> held, Func<string, bool>? includeLine, CancellationToken cancellationToken)
    {
        // Another writer may post for these accounts meanwhile; the save then refuses the stale book, and the batch is
        // loaded again (what the other posted is not billed again) and redone. A save also runs when nothing was
        // posted: invoices turn overdue with time, and their facts must follow.
        // The load first leaves in the store the closed invoices only billing entries name; the engine needs one only to
        // credit it, and then the batch loads again with them.
        return await store.ConflictRetries.ExecuteAsync(async ct =>
        {
            for (var loadEntryInvoices = false; ; loadEntryInvoices = true)
            {
                var loaded = await store.LoadAsync(batch, run.Include(includeLine), openEntriesOnly: true, closedOn: run.On, loadEntryInvoices, ct);
                if (loaded.Faults.Count > 0)
                {
                    await HoldAsync(loaded.Faults, run, held, ct);
                }

                RunResult result;
                try
                {
                    result = loaded.Book.Run(run.On, run.TargetDate, run.DryRun, loaded.AccountIds, run.InvoiceBatch);
                }
                catch (InvoiceInStoreException) when (!loadEntryInvoices)
                {
                    continue;
                }
                catch (Exception ex) when (IsEngineFault(ex))
                {
                    throw new EngineFaultException([.. batch.SelectMany(a => loaded.LinesByAccount[a])], ex);
                }

                return await SaveAsync(loaded, result, run, includeLine, ct);
            }
        }, cancellationToken);
    }

    /// <summary>Saves what the engine posted on a batch's book (nothing for a dry run), and gives the new invoices their ids.</summary>
    private async Task<RunResult> SaveAsync(LoadedBook loaded, RunResult result, Run run, Func<string, bool>? includeLine, CancellationToken cancellationToken)
    {
        if (run.DryRun)
        {
            return result;
        }

        loaded.RanWhole = includeLine is null && run.Lines is null && run.InvoiceBatch is null;

        var ids = await store.SaveAsync(loaded, run.On, cancellationToken);
        return result with { Invoices = [.. result.Invoices.Select(i => i with { Id = ids[i.Number] })] };
    }

    /// <summary>
    /// What one run is asked: documents dated <see cref="On"/>, charges due by <see cref="TargetDate"/>, only the lines
    /// <see cref="Lines"/> accepts (null: every line of the accounts).
    /// </summary>
    private sealed record Run(DateOnly On, DateOnly TargetDate, bool DryRun, string? InvoiceBatch, Func<string, bool>? Lines = null)
    {
        /// <summary>The run's own line scope and an isolation filter together.</summary>
        public Func<string, bool>? Include(Func<string, bool>? filter) =>
            Lines is null ? filter : filter is null ? Lines : id => Lines(id) && filter(id);
    }

    /// <summary>The engine failed on a book; <see cref="LineIds"/> are the lines it held (the suspects).</summary>
    private sealed class EngineFaultException(IReadOnlyList<string> lineIds, Exception inner) : Exception(inner.Message, inner)
    {
        public IReadOnlyList<string> LineIds { get; } = lineIds;
    }
}
