using System.Data.Common;
using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Outbox;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;
using Dapper;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The billing book on disk. <see cref="LoadAsync"/> reads a batch of accounts whole (their lines, what was billed,
/// their documents and receivables) into a <see cref="BillingBook"/>; the engine works on it in memory, exactly as
/// <c>connector simulate</c> does; <see cref="SaveAsync"/> appends what it added in one transaction: documents,
/// ledger entries, payments, allocations, disputes, and the outbox facts. Nothing saved is ever updated. Numbers are
/// claimed by an optimistic check on each series: when another writer took numbers meanwhile, the save rolls back whole
/// and throws <see cref="BookConflictException"/>, so numbering stays gapless and a retry starts from a fresh load.
/// </summary>
public sealed class BookStore(ConnectorDatabase database, TimeProvider timeProvider, IOptions<BillingOptions> options)
{
    private const int InListChunk = 500;

    /// <summary>Accounts that have order lines, in id order: the batches a run walks.</summary>
    public async Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(Command(database.Sql.SelectAccountIdsWithLines, null, cancellationToken))];
    }

    /// <summary>Every stored account's name, by id (for reports a person reads).</summary>
    public async Task<IReadOnlyDictionary<string, string>> AccountNamesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string Name)>(Command(database.Sql.SelectAccountNames, null, cancellationToken));
        return rows.ToDictionary(r => r.AccountId, r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>Whether any stored order belongs to this invoice batch (the mapping's invoiceBatch input).</summary>
    public async Task<bool> InvoiceBatchExistsAsync(string invoiceBatch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(Command(database.Sql.CountOrdersOfInvoiceBatch, new { InvoiceBatch = invoiceBatch }, cancellationToken)) > 0;
    }

    /// <summary>Every account with orders, with the currency it is billed in.</summary>
    public async Task<IReadOnlyDictionary<string, Currency>> AccountCurrenciesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string AccountId, string Currency)>(Command(database.Sql.SelectAccountCurrencies, null, cancellationToken));
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

    /// <summary>
    /// Reads the accounts' lines, billing ledger, documents and receivables into a fresh book. A line the engine cannot
    /// take (a value it cannot compute with) is left out and reported in <see cref="LoadedBook.Faults"/>, unless it is
    /// already held; the rest of the book loads.
    /// </summary>
    /// <param name="accountIds">The accounts to load.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="includeLine">When given, only the lines it accepts are loaded (to find which line fails).</param>
    public async Task<LoadedBook> LoadAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken, Func<string, bool>? includeLine = null)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var sql = database.Sql;
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
            lines.AddRange(await connection.QueryAsync<BillableLineRow>(Command(sql.SelectBillableLinesOfAccounts, ids, cancellationToken, snapshot)));
            invoices.AddRange(await connection.QueryAsync<InvoiceRow>(Command(sql.SelectInvoicesOfAccounts, ids, cancellationToken, snapshot)));
            notes.AddRange(await connection.QueryAsync<CreditNoteRow>(Command(sql.SelectCreditNotesOfAccounts, ids, cancellationToken, snapshot)));
            payments.AddRange(await connection.QueryAsync<PaymentRow>(Command(sql.SelectPaymentsOfAccounts, ids, cancellationToken, snapshot)));
            allocations.AddRange(await connection.QueryAsync<AllocationRow>(Command(sql.SelectAllocationsOfAccounts, ids, cancellationToken, snapshot)));
            refunds.AddRange(await connection.QueryAsync<RefundRow>(Command(sql.SelectRefundsOfAccounts, ids, cancellationToken, snapshot)));
            disputes.AddRange(await connection.QueryAsync<DisputeRow>(Command(sql.SelectDisputesOfAccounts, ids, cancellationToken, snapshot)));
        }

        var faults = new List<HeldLine>();
        var orders = BillableLineRow.ToOrders(lines.Where(l => includeLine?.Invoke(l.LineId) ?? true), faults);
        BookAssembler.Fill(book, orders, options.Value.BillingDayOfMonth, faults);
        var currencyByLine = orders.SelectMany(o => o.Lines.Where(l => book.HasLine(l.LineId)).Select(l => (l.LineId, o.Currency)))
            .ToDictionary(p => p.LineId, p => p.Currency, StringComparer.Ordinal);

        var entries = new List<LedgerEntry>();
        foreach (var chunk in currencyByLine.Keys.Chunk(InListChunk))
        {
            var rows = await connection.QueryAsync<BillingEntryRow>(Command(sql.SelectBillingEntries, new { LineIds = chunk }, cancellationToken, snapshot));
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

        var factStates = new Dictionary<(string Topic, string Key), string>();
        foreach (var chunk in accountIds.Chunk(InListChunk))
        {
            foreach (var state in await connection.QueryAsync<(string Topic, string EntityKey, string PayloadHash)>(Command(sql.SelectFactStatesOfAccounts, new { AccountIds = chunk }, cancellationToken, snapshot)))
            {
                factStates[(state.Topic, state.EntityKey)] = state.PayloadHash;
            }
        }

        var series = await connection.QueryAsync<NumberSeriesRow>(Command(sql.SelectNumberSeries, null, cancellationToken, snapshot));
        var sequences = series.ToDictionary(s => s.Series, s => s.NextValue - 1, StringComparer.Ordinal);
        var lastIssued = series.Where(s => s.LastIssueDate is not null).ToDictionary(s => s.Series, s => DbText.ParseDate(s.LastIssueDate!), StringComparer.Ordinal);
        book.Restore(entries, sequences, lastIssued);
        return new LoadedBook(book, new HashSet<string>(accountIds, StringComparer.Ordinal), sequences, book.EntryLog.Count, book.Ledger.Marks)
        {
            FactStates = factStates,
            Faults = faults,
            LinesByAccount = lines.Where(l => l.HoldBilling == 0).ToLookup(l => l.AccountId, l => l.LineId, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Holds lines the engine could not bill and leaves one quarantine row for each, under the record the line came
    /// from (with its stored payload, so <c>quarantine retry</c> maps it again), in one transaction. A change to the line
    /// in the org maps it again, which releases the hold and closes the row; if it still cannot be billed it is held again.
    /// </summary>
    public async Task HoldLinesAsync(IReadOnlyList<HeldLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }

        var sql = database.Sql;
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var held in lines)
        {
            var versions = await connection.QueryAsync<(string ObjectName, string SystemModstamp, string Payload)>(
                Command(sql.SelectSourceRecordById, new { RecordId = held.LineId }, cancellationToken, transaction));
            var source = versions.OrderByDescending(v => v.SystemModstamp, StringComparer.Ordinal).Select(v => ((string, string)?)(v.ObjectName, v.Payload)).FirstOrDefault();
            await connection.ExecuteAsync(Command(sql.HoldLine, new { RecordId = held.LineId, UpdatedAt = now }, cancellationToken, transaction));
            await connection.ExecuteAsync(Command(sql.InsertQuarantineIfNew, new
            {
                ObjectName = source?.Item1 ?? "OrderItem",
                RecordId = held.LineId,
                Reason = IngestStore.Truncate($"Order line {held.LineId} cannot be billed ({held.Reason}): its billing is held and every other line bills. Correct the line in Salesforce (its next change is billed again), or discard this row.", 400),
                Payload = source?.Item2 ?? "{}",
                CreatedAt = now,
            }, cancellationToken, transaction));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends what the book added since it was loaded, with the outbox facts of every invoice whose figures changed and
    /// of every order a new invoice billed, in one transaction.
    /// </summary>
    /// <param name="loaded">The book as <see cref="LoadAsync"/> returned it, after the engine worked on it.</param>
    /// <param name="asOf">The day balances and payment status in the facts are taken on.</param>
    /// <param name="cancellationToken">Cancels before commit; then nothing is saved.</param>
    /// <param name="settle">More writes that must commit with the book's (the marks that settle what it recorded), in its transaction.</param>
    /// <returns>The database ids of the invoices it posted, by number.</returns>
    /// <exception cref="BookConflictException">Another writer took numbers of a series meanwhile; nothing was saved.</exception>
    public async Task<IReadOnlyDictionary<string, long>> SaveAsync(LoadedBook loaded, DateOnly asOf, CancellationToken cancellationToken,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? settle = null)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var book = loaded.Book;
        var journal = book.Ledger.Journal;
        var marks = loaded.LedgerMarks;
        var sql = database.Sql;
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

            await invoiceRows.SaveAsync(connection, transaction, sql.InsertInvoiceLine, sql.InsertInvoiceTax, sql.InsertInvoiceWithholding, sql.InsertInvoiceInstallment, Command, cancellationToken);
            var noteRows = new DocumentRows();
            var newNotes = journal.CreditNotes.Skip(marks.CreditNotes).ToList();
            foreach (var note in newNotes)
            {
                long? corrects = null; // an account credit note corrects no invoice
                if (note.CorrectsNumber is { } correctsNumber)
                {
                    corrects = invoiceIds.TryGetValue(correctsNumber, out var id)
                        ? id
                        : await connection.ExecuteScalarAsync<long>(Command(sql.SelectInvoiceIdByNumber, new { Number = correctsNumber }, cancellationToken, transaction));
                }

                await InsertCreditNoteAsync(connection, transaction, note, corrects, now, noteRows, cancellationToken);
            }

            await noteRows.SaveAsync(connection, transaction, sql.InsertCreditNoteLine, sql.InsertCreditNoteTax, sql.InsertCreditNoteWithholding, null, Command, cancellationToken);
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

            foreach (var (topic, key, accountId, payload) in ChangedFacts(loaded, asOf))
            {
                await Execute(sql.InsertOutbox, new { Topic = topic, EntityKey = key, Payload = payload, CreatedAt = now });
                await Execute(sql.UpsertFactState, new { Topic = topic, EntityKey = key, AccountId = accountId, PayloadHash = Hash(payload), UpdatedAt = now });
            }

            foreach (var (topic, key, payload) in OrderFacts(book, newInvoices))
            {
                await Execute(sql.InsertOutbox, new { Topic = topic, EntityKey = key, Payload = payload, CreatedAt = now });
            }

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
            connection.ExecuteAsync(Command(statement, parameters, cancellationToken, transaction));
    }

    /// <summary>The child rows of the documents one save posts, written statement by statement (Dapper runs a list as one prepared command).</summary>
    private sealed class DocumentRows
    {
        private readonly List<object> _lines = [];
        private readonly List<object> _taxes = [];
        private readonly List<object> _withholdings = [];
        private readonly List<object> _installments = [];

        public void Add(long ownerId, IReadOnlyList<InvoiceLine> lines, IReadOnlyList<TaxLine> taxes, IReadOnlyList<WithholdingLine> withholdings, IReadOnlyList<Installment> installments)
        {
            _lines.AddRange(lines.Select(line => (object)new
            {
                InvoiceId = ownerId, line.LineNumber, line.OrderId, line.OrderLineId, line.Description, PeriodStart = DbText.Date(line.Period.Start),
                PeriodEnd = DbText.Date(line.Period.End), Quantity = DbText.Decimal(line.Quantity), UnitPrice = DbText.Decimal(line.UnitPrice),
                ProrationFactor = DbText.Decimal(line.ProrationFactor), NetMinor = line.Net.MinorUnits, TaxRatePercent = DbText.Decimal(line.TaxRatePercent),
                line.TaxExemptReason, WithholdingPercent = DbText.Decimal(line.WithholdingPercent), line.Revises, line.CorrectedLine, line.Explanation,
            }));
            _taxes.AddRange(taxes.Select((tax, i) => (object)new
            {
                InvoiceId = ownerId, GroupNumber = i + 1, TaxRatePercent = DbText.Decimal(tax.RatePercent), tax.ExemptReason,
                BaseMinor = tax.Base.MinorUnits, TaxMinor = tax.Tax.MinorUnits,
            }));
            _withholdings.AddRange(withholdings.Select(w => (object)new
            {
                OwnerId = ownerId, RatePercent = DbText.Decimal(w.RatePercent), BaseMinor = w.Base.MinorUnits, WithheldMinor = w.Withheld.MinorUnits,
            }));
            _installments.AddRange(installments.Select(i => (object)new
            {
                InvoiceId = ownerId, i.Number, DueDate = DbText.Date(i.DueDate), AmountMinor = i.Amount.MinorUnits,
            }));
        }

        public async Task SaveAsync(DbConnection connection, DbTransaction transaction, string lineSql, string taxSql, string withholdingSql, string? installmentSql,
            Func<string, object?, CancellationToken, DbTransaction?, CommandDefinition> command, CancellationToken cancellationToken)
        {
            foreach (var (sql, rows) in new[] { (lineSql, _lines), (taxSql, _taxes), (withholdingSql, _withholdings), (installmentSql, _installments) })
            {
                if (sql is not null && rows.Count > 0)
                {
                    await connection.ExecuteAsync(command(sql, rows, cancellationToken, transaction));
                }
            }
        }
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
                await connection.ExecuteAsync(Command(database.Sql.InsertNumberSeries, new { Series = series, NextValue = last + 1, LastIssueDate = LastIssueDate(series) }, cancellationToken, transaction));
                continue;
            }

            var claimed = await connection.ExecuteAsync(Command(database.Sql.AdvanceNumberSeries, new { Series = series, NextValue = last + 1, ExpectedValue = loadedLast + 1, LastIssueDate = LastIssueDate(series) }, cancellationToken, transaction));
            if (claimed != 1)
            {
                throw new BookConflictException($"Another writer took numbers of series {series} since this batch was loaded; load again and retry.");
            }
        }
    }

    private async Task<long> InsertInvoiceAsync(DbConnection connection, DbTransaction transaction, Invoice invoice, string now, DocumentRows rows, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<long>(Command(database.Sql.InsertInvoice, new
        {
            invoice.Number, invoice.AccountId, Currency = invoice.Currency.Code, IssueDate = DbText.Date(invoice.IssueDate), DueDate = DbText.Date(invoice.DueDate),
            Seller = PartyJson.Serialize(invoice.Seller), Buyer = PartyJson.Serialize(invoice.Buyer), NetMinor = invoice.Net.MinorUnits,
            TaxMinor = invoice.Tax.MinorUnits, TotalMinor = invoice.Total.MinorUnits, PostedAt = now, invoice.Batch, WithheldMinor = invoice.Withheld.MinorUnits,
        }, cancellationToken, transaction));
        rows.Add(id, invoice.Lines, invoice.Taxes, invoice.Withholdings, invoice.Installments);
        return id;
    }

    private async Task InsertCreditNoteAsync(DbConnection connection, DbTransaction transaction, CreditNote note, long? correctsId, string now, DocumentRows rows, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<long>(Command(database.Sql.InsertCreditNote, new
        {
            note.Number, note.AccountId, Currency = note.Currency.Code, IssueDate = DbText.Date(note.IssueDate), CorrectsInvoiceId = correctsId,
            note.CorrectsNumber, CorrectsIssueDate = DbText.Date(note.CorrectsIssueDate), note.Reason, NetMinor = note.Net.MinorUnits,
            TaxMinor = note.Tax.MinorUnits, WithheldMinor = note.Withheld.MinorUnits, TotalMinor = note.Total.MinorUnits, PostedAt = now,
        }, cancellationToken, transaction));
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
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(Command(database.Sql.SelectInvoiceLines, new { InvoiceIds = chunk }, cancellationToken, transaction)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(Command(database.Sql.SelectInvoiceTaxes, new { InvoiceIds = chunk }, cancellationToken, transaction)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(Command(database.Sql.SelectInvoiceWithholdings, new { Ids = chunk }, cancellationToken, transaction)));
            installments.AddRange(await connection.QueryAsync<InstallmentRow>(Command(database.Sql.SelectInvoiceInstallments, new { Ids = chunk }, cancellationToken, transaction)));
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
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(Command(database.Sql.SelectCreditNoteLines, new { Ids = chunk }, cancellationToken, transaction)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(Command(database.Sql.SelectCreditNoteTaxes, new { Ids = chunk }, cancellationToken, transaction)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(Command(database.Sql.SelectCreditNoteWithholdings, new { Ids = chunk }, cancellationToken, transaction)));
        }

        var linesBy = lines.ToLookup(l => l.InvoiceId);
        var taxesBy = taxes.ToLookup(t => t.InvoiceId);
        var withholdingsBy = withholdings.ToLookup(w => w.OwnerId);
        return [.. rows.Select(n => n.ToDomain(linesBy[n.Id], taxesBy[n.Id], withholdingsBy[n.Id]))];
    }

    /// <summary>
    /// The facts of every invoice and account of the batch whose figures differ from what the write-back last learned
    /// (new invoices, payments, credits and disputes, and invoices that turned overdue with time).
    /// </summary>
    private static IEnumerable<(string Topic, string Key, string AccountId, string Payload)> ChangedFacts(LoadedBook loaded, DateOnly asOf)
    {
        var ledger = loaded.Book.Ledger;
        foreach (var invoice in ledger.Invoices)
        {
            var balance = ledger.BalanceOf(invoice, asOf);
            var orderIds = invoice.OrderIds;
            var payload = OutboxJson.Serialize(new InvoiceFacts(
                invoice.Number, invoice.Number, "Posted", invoice.AccountId, orderIds.Count == 1 ? orderIds[0] : null, invoice.Currency.Code,
                invoice.IssueDate, invoice.DueDate, invoice.Net.Value, invoice.Tax.Value, invoice.Total.Value, balance.Balance.Value, balance.Status.ToString(),
                balance.Paid.Value, balance.Credited.Value, balance.Disputed.Value));
            if (Changed(loaded, OutboxTopics.Invoice, invoice.Number, payload))
            {
                yield return (OutboxTopics.Invoice, invoice.Number, invoice.AccountId, payload);
            }
        }

        foreach (var accountId in loaded.AccountIds.Order(StringComparer.Ordinal))
        {
            // An account record has one set of figures: those of the currency it is billed most in.
            if (ledger.AccountBalances(accountId, asOf).OrderByDescending(b => b.Billed.MinorUnits).FirstOrDefault() is not { } figures)
            {
                continue;
            }

            var payload = OutboxJson.Serialize(new AccountFacts(accountId, figures.Currency.Code, figures.Balance.Value, figures.Overdue.Value,
                figures.Disputed.Value, figures.UnappliedCredit.Value));
            if (Changed(loaded, OutboxTopics.Account, accountId, payload))
            {
                yield return (OutboxTopics.Account, accountId, accountId, payload);
            }
        }
    }

    private static bool Changed(LoadedBook loaded, string topic, string key, string payload) =>
        !loaded.FactStates.TryGetValue((topic, key), out var hash) || !string.Equals(hash, Hash(payload), StringComparison.Ordinal);

    private static string Hash(string payload) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payload)));

    /// <summary>Order facts for the orders new invoices billed: the last invoice, billed-through and next billing dates.</summary>
    private static IEnumerable<(string Topic, string Key, string Payload)> OrderFacts(BillingBook book, IReadOnlyList<Invoice> newInvoices)
    {
        foreach (var invoice in newInvoices)
        {
            foreach (var orderId in invoice.OrderIds)
            {
                var billedThrough = invoice.Lines.Where(l => l.OrderId == orderId).Max(l => l.Period.End);
                yield return (OutboxTopics.Order, orderId, OutboxJson.Serialize(
                    new OrderFacts(orderId, invoice.Number, invoice.IssueDate, billedThrough, book.NextBillingDate(orderId, invoice.IssueDate))));
            }
        }
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken);
}

/// <summary>A book as loaded, with what it held then, so a save appends only what was added.</summary>
public sealed class LoadedBook
{
    internal LoadedBook(BillingBook book, IReadOnlySet<string> accountIds, IReadOnlyDictionary<string, long> sequences, int entryCount, LedgerMarks ledgerMarks) =>
        (Book, AccountIds, Sequences, EntryCount, LedgerMarks) = (book, accountIds, sequences, entryCount, ledgerMarks);

    public BillingBook Book { get; }

    public IReadOnlySet<string> AccountIds { get; }

    internal IReadOnlyDictionary<string, long> Sequences { get; }

    internal int EntryCount { get; }

    internal LedgerMarks LedgerMarks { get; }

    /// <summary>The hash of the facts the write-back last learned, per (topic, entity key).</summary>
    internal IReadOnlyDictionary<(string Topic, string Key), string> FactStates { get; init; } = new Dictionary<(string, string), string>();

    /// <summary>Lines the engine could not take, left out of the book (see <see cref="BookStore.HoldLinesAsync"/>).</summary>
    public IReadOnlyList<HeldLine> Faults { get; init; } = [];

    /// <summary>The ids of the lines loaded per account, held lines left out.</summary>
    public ILookup<string, string> LinesByAccount { get; init; } = Array.Empty<string>().ToLookup(x => x, StringComparer.Ordinal);
}

/// <summary>Another writer changed what a book was loaded from; nothing was saved. Load again and retry.</summary>
public sealed class BookConflictException(string message, Exception? inner = null) : Exception(message, inner);
