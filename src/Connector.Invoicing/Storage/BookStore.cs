using System.Data.Common;
using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
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
internal sealed class BookStore(ConnectorDatabase database, TimeProvider timeProvider, IOptions<BillingOptions> options, IPostingJournal postingJournal,
    Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    private const int InListChunk = 500;
    private readonly BookSql _sql = BookSql.For(database.Provider);
    private readonly OrderSql _orders = OrderSql.For(database.Provider);

    /// <summary>How work on a book that met a concurrent writer is redone (<see cref="BookConflicts"/>): wrap a load, the work and its save.</summary>
    public Polly.ResiliencePipeline ConflictRetries { get; } = BookConflicts.Resolve(pipelines, timeProvider);

    /// <summary>Accounts that have order lines, in id order: the batches a run walks.</summary>
    public async Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(database.Command(_sql.SelectAccountIdsWithLines, null, cancellationToken))];
    }

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

    public BookSettings Settings()
    {
        var billing = options.Value;
        return new BookSettings
        {
            Proration = billing.Proration,
            TaxRounding = billing.TaxRounding,
            InvoiceSeries = new NumberSeries(billing.InvoiceSeries),
            CreditNoteSeries = new NumberSeries(billing.CreditNoteSeries),
            Seller = new Party(billing.Seller.Name, billing.Seller.TaxId, billing.Seller.Street, billing.Seller.City, billing.Seller.PostalCode, billing.Seller.Country),
        };
    }

    /// <summary>The overload below with its optional arguments left out.</summary>
    public Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken) => LoadAsync(accountIds, null, cancellationToken);

    /// <summary>
    /// Reads the accounts' lines, billing ledger, documents and receivables into a fresh book. A line the engine cannot
    /// take (a value it cannot compute with) is left out and reported in <see cref="LoadedBook.Faults"/>, unless it is
    /// already held; the rest of the book loads.
    /// </summary>
    /// <param name="accountIds">The accounts to load.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="includeLine">When given, only the lines it accepts are loaded (to find which line fails).</param>
    public async Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, Func<string, bool>? includeLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var sql = _sql;
        var book = new BillingBook(Settings());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);

        var lines = new List<BillableLineRow>();
        var invoices = new List<InvoiceRow>();
        var notes = new List<CreditNoteRow>();
        var payments = new List<PaymentRow>();
        var allocations = new List<AllocationRow>();
        var refunds = new List<RefundRow>();
        var disputes = new List<DisputeRow>();
        foreach (var chunk in accountIds.Chunk(InListChunk))
        {
            var ids = new { AccountIds = chunk };
            lines.AddRange(await connection.QueryAsync<BillableLineRow>(database.Command(sql.SelectBillableLinesOfAccounts, ids, snapshot, cancellationToken)));
            invoices.AddRange(await connection.QueryAsync<InvoiceRow>(database.Command(sql.SelectInvoicesOfAccounts, ids, snapshot, cancellationToken)));
            notes.AddRange(await connection.QueryAsync<CreditNoteRow>(database.Command(sql.SelectCreditNotesOfAccounts, ids, snapshot, cancellationToken)));
            payments.AddRange(await connection.QueryAsync<PaymentRow>(database.Command(sql.SelectPaymentsOfAccounts, ids, snapshot, cancellationToken)));
            allocations.AddRange(await connection.QueryAsync<AllocationRow>(database.Command(sql.SelectAllocationsOfAccounts, ids, snapshot, cancellationToken)));
            refunds.AddRange(await connection.QueryAsync<RefundRow>(database.Command(sql.SelectRefundsOfAccounts, ids, snapshot, cancellationToken)));
            disputes.AddRange(await connection.QueryAsync<DisputeRow>(database.Command(sql.SelectDisputesOfAccounts, ids, snapshot, cancellationToken)));
        }

        var faults = new List<HeldLine>();
        var orders = BillableLineRow.ToOrders(lines.Where(l => includeLine?.Invoke(l.LineId) ?? true), faults);
        BookAssembler.Fill(book, orders, options.Value.BillingDayOfMonth, faults);
        var currencyByLine = orders.SelectMany(o => o.Lines.Where(l => book.HasLine(l.LineId)).Select(l => (l.LineId, o.Currency)))
            .ToDictionary(p => p.LineId, p => p.Currency, StringComparer.Ordinal);

        var entries = new List<LedgerEntry>();
        foreach (var chunk in currencyByLine.Keys.Chunk(InListChunk))
        {
            var rows = await connection.QueryAsync<BillingEntryRow>(database.Command(sql.SelectBillingEntries, new { LineIds = chunk }, snapshot, cancellationToken));
            entries.AddRange(rows.Select(r => (r.Id, Entry: r.ToDomain(currencyByLine[r.LineId]))).OrderBy(r => r.Id).Select(r => r.Entry));
        }

        var loadedInvoices = await InvoicesAsync(connection, snapshot, invoices, cancellationToken);
        var loadedNotes = await CreditNotesAsync(connection, snapshot, notes, cancellationToken);
        var currencyByInvoice = loadedInvoices.ToDictionary(i => i.Number, i => i.Currency, StringComparer.Ordinal);
        book.Ledger.Restore(
            loadedInvoices,
            loadedNotes,
            payments.Select(p => p.ToDomain()),
            allocations.Select(a => a.ToDomain(currencyByInvoice[a.InvoiceNumber])),
            refunds.Select(r => r.ToDomain()),
            disputes.Select(d => d.ToDomain(currencyByInvoice[d.InvoiceNumber])));

        var series = await connection.QueryAsync<NumberSeriesRow>(database.Command(sql.SelectNumberSeries, null, snapshot, cancellationToken));
        var sequences = series.ToDictionary(s => s.Series, s => s.NextValue - 1, StringComparer.Ordinal);
        var lastIssued = series.Where(s => s.LastIssueDate is not null).ToDictionary(s => s.Series, s => DbText.ParseDate(s.LastIssueDate!), StringComparer.Ordinal);
        book.Restore(entries, sequences, lastIssued);
        return new LoadedBook(book, new HashSet<string>(accountIds, StringComparer.Ordinal), sequences, book.EntryLog.Count, book.Ledger.Marks)
        {
            Faults = faults,
            LinesByAccount = lines.Where(l => l.HoldBilling == 0).ToLookup(l => l.AccountId, l => l.LineId, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Holds lines the engine could not bill and sets each aside for a person (<see cref="IPostingJournal.SetAsideAsync"/>:
    /// the pipeline keeps a quarantine row under the record the line came from), in one transaction. A change to the line
    /// in the org maps it again, which releases the hold and closes the row; if it still cannot be billed it is held again.
    /// </summary>
    public async Task HoldLinesAsync(IReadOnlyList<HeldLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }

        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var held in lines)
        {
            await connection.ExecuteAsync(database.Command(_orders.HoldLine, new { RecordId = held.LineId, UpdatedAt = now }, transaction, cancellationToken));
        }

        await postingJournal.SetAsideAsync(
            [.. lines.Select(held => new SetAside(held.LineId, $"Order line {held.LineId} cannot be billed ({held.Reason}): its billing is held and every other line bills. Correct the line in Salesforce (its next change is billed again), or discard this row."))],
            transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The overload below with its optional arguments left out.</summary>
    public Task<IReadOnlyDictionary<string, long>> SaveAsync(LoadedBook loaded, DateOnly asOf, CancellationToken cancellationToken) =>
        SaveAsync(loaded, asOf, null, cancellationToken);

    /// <summary>
    /// Appends what the book added since it was loaded and tells the journal, in one transaction.
    /// </summary>
    /// <param name="loaded">The book as <see cref="LoadAsync(IReadOnlyCollection{string}, CancellationToken)"/> returned it, after the engine worked on it.</param>
    /// <param name="asOf">The day balances and payment status in the facts are taken on.</param>
    /// <param name="cancellationToken">Cancels before commit; then nothing is saved.</param>
    /// <param name="settle">More writes that must commit with the book's (the marks that settle what it recorded), in its transaction.</param>
    /// <returns>The database ids of the invoices it posted, by number.</returns>
    /// <exception cref="BookConflictException">Another writer took numbers of a series meanwhile; nothing was saved.</exception>
    public async Task<IReadOnlyDictionary<string, long>> SaveAsync(LoadedBook loaded, DateOnly asOf, Func<DbConnection, DbTransaction, CancellationToken, Task>? settle,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var book = loaded.Book;
        var journal = book.Ledger.Journal;
        var marks = loaded.LedgerMarks;
        var sql = _sql;
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ClaimNumbersAsync(connection, transaction, loaded, cancellationToken);
            var invoiceIds = new Dictionary<string, long>(StringComparer.Ordinal);
            var invoiceRows = new DocumentRows();
            var newInvoices = journal.Invoices.Skip(marks.Invoices).ToList();
            foreach (var invoice in newInvoices)
            {
                invoiceIds[invoice.Number] = await InsertInvoiceAsync(connection, transaction, invoice, now, invoiceRows, cancellationToken);
            }

            await invoiceRows.SaveAsync(connection, transaction, sql.InsertInvoiceLine, sql.InsertInvoiceTax, sql.InsertInvoiceWithholding, sql.InsertInvoiceInstallment, database.Command, cancellationToken);
            var noteRows = new DocumentRows();
            var newNotes = journal.CreditNotes.Skip(marks.CreditNotes).ToList();
            foreach (var note in newNotes)
            {
                long? corrects = null; // an account credit note corrects no invoice
                if (note.CorrectsNumber is { } correctsNumber)
                {
                    corrects = invoiceIds.TryGetValue(correctsNumber, out var id)
                        ? id
                        : await connection.ExecuteScalarAsync<long>(database.Command(sql.SelectInvoiceIdByNumber, new { Number = correctsNumber }, transaction, cancellationToken));
                }

                await InsertCreditNoteAsync(connection, transaction, note, corrects, now, noteRows, cancellationToken);
            }

            await noteRows.SaveAsync(connection, transaction, sql.InsertCreditNoteLine, sql.InsertCreditNoteTax, sql.InsertCreditNoteWithholding, null, database.Command, cancellationToken);
            await Execute(sql.InsertBillingEntry, book.EntryLog.Skip(loaded.EntryCount).Select(entry => new
            {
                entry.LineId, PieceStart = DbText.Date(entry.PieceStart), PeriodStart = DbText.Date(entry.Period.Start), PeriodEnd = DbText.Date(entry.Period.End),
                WholeStart = DbText.Date(entry.Whole.Start), WholeEnd = DbText.Date(entry.Whole.End), Factor = DbText.Decimal(entry.Factor),
                NetMinor = entry.Net.MinorUnits, DocumentNumber = entry.Document, entry.DocumentLine, InvoiceNumber = entry.Invoice, IsInvoice = entry.IsInvoice ? 1 : 0,
            }).ToList());

            foreach (var payment in journal.Payments.Skip(marks.Payments))
            {
                await Execute(sql.InsertPayment, new
                {
                    payment.Id, payment.AccountId, Currency = payment.Amount.Currency.Code, ReceivedOn = DbText.Date(payment.ReceivedOn),
                    AmountMinor = payment.Amount.MinorUnits, RecordedAt = now,
                });
            }

            foreach (var (payment, on) in journal.Reversals.Skip(marks.Reversals))
            {
                await Execute(sql.InsertPaymentReversal, new { PaymentId = payment, ReversedOn = DbText.Date(on), RecordedAt = now });
            }

            foreach (var allocation in journal.Allocations.Skip(marks.Allocations))
            {
                await Execute(sql.InsertAllocation, new
                {
                    SourceKind = allocation.Source.ToString(), allocation.SourceId, book.Ledger.Invoice(allocation.InvoiceNumber).AccountId,
                    allocation.InvoiceNumber, AmountMinor = allocation.Amount.MinorUnits, AllocatedOn = DbText.Date(allocation.On),
                });
            }

            foreach (var refund in journal.Refunds.Skip(marks.Refunds))
            {
                await Execute(sql.InsertRefund, new
                {
                    SourceKind = refund.Source.ToString(), refund.SourceId, refund.AccountId, Currency = refund.Amount.Currency.Code,
                    AmountMinor = refund.Amount.MinorUnits, RefundedOn = DbText.Date(refund.On),
                });
            }

            foreach (var dispute in journal.Disputes.Skip(marks.Disputes))
            {
                await Execute(sql.InsertDispute, new
                {
                    dispute.Id, book.Ledger.Invoice(dispute.InvoiceNumber).AccountId, dispute.InvoiceNumber, LineNumber = dispute.Line,
                    AmountMinor = dispute.Amount.MinorUnits, OpenedOn = DbText.Date(dispute.OpenedOn), dispute.Reason,
                });
            }

            foreach (var resolved in journal.Resolutions.Skip(marks.Resolutions))
            {
                await Execute(sql.InsertDisputeResolution, new
                {
                    DisputeId = resolved.Id, Outcome = resolved.Outcome.ToString(), ResolvedOn = DbText.Date(resolved.ResolvedOn!.Value), resolved.CreditNoteNumber,
                });
            }

            await postingJournal.BookSavedAsync(new SavedBook(book, loaded.AccountIds, newInvoices, asOf), transaction, cancellationToken);

            if (settle is not null)
            {
                await settle(connection, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return invoiceIds;
        }
        catch (DbException ex) when (StorageErrors.IsUniqueViolation(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new BookConflictException("Another writer posted documents for these accounts or took numbers meanwhile; load again and retry.", ex);
        }

        Task Execute(string statement, object parameters) =>
            connection.ExecuteAsync(database.Command(statement, parameters, transaction, cancellationToken));
    }

    private async Task ClaimNumbersAsync(DbConnection connection, DbTransaction transaction, LoadedBook loaded, CancellationToken cancellationToken)
    {
        string? LastIssueDate(string series) => DbText.Date(loaded.Book.LastIssued.TryGetValue(series, out var date) ? date : (DateOnly?)null);

        foreach (var (series, last) in loaded.Book.Sequences.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var loadedLast = loaded.Sequences.TryGetValue(series, out var before) ? before : (long?)null;
            if (loadedLast == last)
            {
                continue;
            }

            if (loadedLast is null)
            {
                await connection.ExecuteAsync(database.Command(_sql.InsertNumberSeries, new { Series = series, NextValue = last + 1, LastIssueDate = LastIssueDate(series) }, transaction, cancellationToken));
                continue;
            }

            var claimed = await connection.ExecuteAsync(database.Command(_sql.AdvanceNumberSeries, new { Series = series, NextValue = last + 1, ExpectedValue = loadedLast + 1, LastIssueDate = LastIssueDate(series) }, transaction, cancellationToken));
            if (claimed != 1)
            {
                throw new BookConflictException($"Another writer took numbers of series {series} since this batch was loaded; load again and retry.");
            }
        }
    }

    private async Task<long> InsertInvoiceAsync(DbConnection connection, DbTransaction transaction, Invoice invoice, string now, DocumentRows rows, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<long>(database.Command(_sql.InsertInvoice, new
        {
            invoice.Number, invoice.AccountId, Currency = invoice.Currency.Code, IssueDate = DbText.Date(invoice.IssueDate), DueDate = DbText.Date(invoice.DueDate),
            Seller = PartyJson.Serialize(invoice.Seller), Buyer = PartyJson.Serialize(invoice.Buyer), NetMinor = invoice.Net.MinorUnits,
            TaxMinor = invoice.Tax.MinorUnits, TotalMinor = invoice.Total.MinorUnits, PostedAt = now, invoice.Batch, WithheldMinor = invoice.Withheld.MinorUnits,
        }, transaction, cancellationToken));
        rows.Add(id, invoice.Lines, invoice.Taxes, invoice.Withholdings, invoice.Installments);
        return id;
    }

    private async Task InsertCreditNoteAsync(DbConnection connection, DbTransaction transaction, CreditNote note, long? correctsId, string now, DocumentRows rows, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<long>(database.Command(_sql.InsertCreditNote, new
        {
            note.Number, note.AccountId, Currency = note.Currency.Code, IssueDate = DbText.Date(note.IssueDate), CorrectsInvoiceId = correctsId,
            note.CorrectsNumber, CorrectsIssueDate = DbText.Date(note.CorrectsIssueDate), note.Reason, NetMinor = note.Net.MinorUnits,
            TaxMinor = note.Tax.MinorUnits, WithheldMinor = note.Withheld.MinorUnits, TotalMinor = note.Total.MinorUnits, PostedAt = now,
        }, transaction, cancellationToken));
        rows.Add(id, note.Lines, note.Taxes, note.Withholdings, []);
    }

    private async Task<List<Invoice>> InvoicesAsync(DbConnection connection, DbTransaction? transaction, List<InvoiceRow> rows, CancellationToken cancellationToken)
    {
        var lines = new List<InvoiceLineRow>();
        var taxes = new List<InvoiceTaxRow>();
        var withholdings = new List<WithholdingRow>();
        var installments = new List<InstallmentRow>();
        foreach (var chunk in rows.Select(i => i.Id).Chunk(InListChunk))
        {
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(database.Command(_sql.SelectInvoiceLines, new { InvoiceIds = chunk }, transaction, cancellationToken)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(database.Command(_sql.SelectInvoiceTaxes, new { InvoiceIds = chunk }, transaction, cancellationToken)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(database.Command(_sql.SelectInvoiceWithholdings, new { Ids = chunk }, transaction, cancellationToken)));
            installments.AddRange(await connection.QueryAsync<InstallmentRow>(database.Command(_sql.SelectInvoiceInstallments, new { Ids = chunk }, transaction, cancellationToken)));
        }

        var linesBy = lines.ToLookup(l => l.InvoiceId);
        var taxesBy = taxes.ToLookup(t => t.InvoiceId);
        var withholdingsBy = withholdings.ToLookup(w => w.OwnerId);
        var installmentsBy = installments.ToLookup(i => i.InvoiceId);
        return [.. rows.Select(i => i.ToDomain(linesBy[i.Id], taxesBy[i.Id], withholdingsBy[i.Id], installmentsBy[i.Id]))];
    }

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
