using System.Data.Common;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Runs;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>The book's writes: holding lines, and appending what a run or a receivables event added (numbers claimed, documents, ledger, facts) in one transaction.</summary>
internal sealed partial class BookStore
{
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

        // What the save will ask of invoices loaded without their parts is read now, outside its transaction (a read on
        // another connection must not wait on this transaction): the orders of those whose facts may have changed (unless
        // the header kept them), and the parties of those new credit notes correct (a VERI*FACTU registration names them).
        var changed = book.Ledger.ChangedSince(marks, loaded.FactsOn, asOf);
        loaded.Deferred?.ExpectOrders(book.Ledger.Invoices.Where(i => changed.Invoices.Contains(i.Number)).Select(i => i.Id));
        var corrected = journal.CreditNotes.Skip(marks.CreditNotes).Select(n => n.CorrectsNumber).OfType<string>().ToHashSet(StringComparer.Ordinal);
        loaded.Deferred?.Expect(book.Ledger.Invoices.Where(i => corrected.Contains(i.Number)).Select(i => i.Id));
        loaded.Deferred?.ReadExpected();

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ClaimNumbersAsync(connection, transaction, loaded, cancellationToken);
            var invoiceIds = new Dictionary<string, long>(StringComparer.Ordinal);
            var invoiceRows = new DocumentRows();
            var newInvoices = journal.Invoices.Skip(marks.Invoices).ToList();
            var keys = await MultiRowInsert.InsertReturningKeysAsync(connection, transaction, database.Provider, sql.InsertInvoice, InvoiceHeaders(newInvoices, now), cancellationToken);
            foreach (var (invoice, id) in newInvoices.Zip(keys))
            {
                invoiceIds[invoice.Number] = id;
                invoiceRows.Add(id, invoice.Lines, invoice.Taxes, invoice.Withholdings, invoice.Installments);
            }

            await invoiceRows.SaveAsync(connection, transaction, sql.InsertInvoiceLine, sql.InsertInvoiceTax, sql.InsertInvoiceWithholding, sql.InsertInvoiceInstallment, database.Provider, cancellationToken);
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

            await noteRows.SaveAsync(connection, transaction, sql.InsertCreditNoteLine, sql.InsertCreditNoteTax, sql.InsertCreditNoteWithholding, null, database.Provider, cancellationToken);
            if (veriFactu is not null && Settings() is { } settings && settings.Entities.Any(e => e.VeriFactu))
            {
                await veriFactu.AppendAsync(connection, transaction, settings, Registrations(book, newInvoices, newNotes), cancellationToken);
            }

            await SaveUsageBilledAsync(connection, transaction, loaded, now, cancellationToken);
            await MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, sql.InsertBillingEntry, book.EntryLog.Skip(loaded.EntryCount).Select(entry => (object)new
            {
                entry.LineId, PieceStart = DbText.Date(entry.PieceStart), PeriodStart = DbText.Date(entry.Period.Start), PeriodEnd = DbText.Date(entry.Period.End),
                WholeStart = DbText.Date(entry.Whole.Start), WholeEnd = DbText.Date(entry.Whole.End), Factor = DbText.Decimal(entry.Factor),
                NetMinor = entry.Net.MinorUnits, DocumentNumber = entry.Document, entry.DocumentLine, InvoiceNumber = entry.Invoice, IsInvoice = entry.IsInvoice ? 1 : 0,
            }).ToList(), cancellationToken);

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

            await postingJournal.BookSavedAsync(new SavedBook(book, loaded.AccountIds, newInvoices, asOf) { Changed = changed }, transaction, cancellationToken);
            await _wakes.SaveAsync(connection, transaction, loaded, asOf, _settingsFingerprint.Value, cancellationToken);
            await _prefixes.SaveAsync(connection, transaction, loaded, cancellationToken);

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

    /// <summary>The new documents as VERI*FACTU registers them: invoices with their parties, credit notes with those of the invoice they correct (or the account's).</summary>
    private IEnumerable<(PostedDocument Document, Party Seller, Party Buyer)> Registrations(Billing.BillingBook book, IEnumerable<Invoice> invoices, IEnumerable<CreditNotes.CreditNote> notes)
    {
        var settings = Settings();
        foreach (var invoice in invoices)
        {
            yield return (invoice, invoice.Seller, invoice.Buyer);
        }

        var byNumber = new Lazy<Dictionary<string, Invoice>>(() => book.Ledger.Invoices.ToDictionary(i => i.Number, StringComparer.Ordinal));
        foreach (var note in notes)
        {
            var corrected = note.CorrectsNumber is { } number ? byNumber.Value.GetValueOrDefault(number) : null;
            yield return corrected is not null
                ? (note, corrected.Seller, corrected.Buyer)
                : (note, settings.EntityOf(note.Number).Seller, book.Account(note.AccountId).AsParty(settings.DocumentLanguage));
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

    /// <summary>The rows of new invoices' headers; an account's invoices share their parties, each written to JSON once.</summary>
    private static List<object> InvoiceHeaders(IReadOnlyList<Invoice> invoices, string now)
    {
        var json = new Dictionary<Party, string>();
        string Json(Party party) => json.TryGetValue(party, out var text) ? text : json[party] = PartyJson.Serialize(party);
        return [.. invoices.Select(invoice => (object)new
        {
            invoice.Number, invoice.AccountId, Currency = invoice.Currency.Code, IssueDate = DbText.Date(invoice.IssueDate), DueDate = DbText.Date(invoice.DueDate),
            Seller = Json(invoice.Seller), Buyer = Json(invoice.Buyer), NetMinor = invoice.Net.MinorUnits,
            TaxMinor = invoice.Tax.MinorUnits, TotalMinor = invoice.Total.MinorUnits, PostedAt = now, invoice.Batch, WithheldMinor = invoice.Withheld.MinorUnits,
            OrderId = invoice.OrderIds is [var only] ? only : null,
        })];
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
}
