using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Storage;
using Connector.Mapping.WriteBack;
using Connector.Storage;
using Dapper;

namespace Connector.Sync.WriteBack;

/// <summary>
/// Turns postings into the facts the org must learn, queued in the outbox in the posting's own transaction: every
/// invoice and account of a saved book whose figures differ from what was last queued (new invoices, payments, credits,
/// disputes, and invoices that turned overdue with time), every order a new invoice billed, and every stored document.
/// A hash per invoice and account remembers what was last queued, so unchanged figures queue nothing.
/// </summary>
internal sealed class FactsProjector(ConnectorDatabase database, TimeProvider timeProvider)
{
    private const int InListChunk = 500;
    private readonly OutboxSql _sql = OutboxSql.For(database.Provider);

    public async Task BookSavedAsync(SavedBook saved, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection!;
        var now = DbText.Instant(timeProvider.GetUtcNow());
        // The hashes last queued, looked up for the facts computed only (by key: an account's history is not read).
        var facts = AccountFacts(saved).ToList();
        var queued = new Dictionary<(string Topic, string Key), string>();
        foreach (var topic in facts.GroupBy(f => f.Topic, StringComparer.Ordinal))
        {
            foreach (var chunk in topic.Select(f => f.Key).Distinct(StringComparer.Ordinal).Chunk(InListChunk))
            {
                var states = await connection.QueryAsync<(string EntityKey, string PayloadHash)>(
                    database.Command(_sql.SelectFactStates, new { Topic = topic.Key, Keys = chunk }, transaction, cancellationToken));
                foreach (var state in states)
                {
                    queued[(topic.Key, state.EntityKey)] = state.PayloadHash;
                }
            }
        }

        // What changed is queued and its new hash kept, each table in one multi-row write.
        var outbox = new List<object>();
        var hashes = new List<object>();
        foreach (var (topic, key, accountId, payload) in facts)
        {
            var hash = Hash(payload);
            if (queued.TryGetValue((topic, key), out var before) && string.Equals(before, hash, StringComparison.Ordinal))
            {
                continue;
            }

            outbox.Add(new { Topic = topic, EntityKey = key, Payload = payload, CreatedAt = now });
            hashes.Add(new { Topic = topic, EntityKey = key, AccountId = accountId, PayloadHash = hash, UpdatedAt = now });
        }

        outbox.AddRange(OrderFacts(saved.Book, saved.NewInvoices).Select(o => (object)new { Topic = OutboxTopics.Order, EntityKey = o.Key, Payload = o.Payload, CreatedAt = now }));
        await MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, _sql.InsertOutbox, outbox, cancellationToken);
        await MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, _sql.UpsertFactState, hashes, cancellationToken);
    }

    public async Task DocumentStoredAsync(DocumentStored stored, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(transaction);
        var facts = new DocumentFacts(stored.DocumentId, stored.InvoiceKey, stored.FileName, stored.ContentHash, stored.ReplacesContentHash, stored.Owner, stored.Format);
        await transaction.Connection!.ExecuteAsync(database.Command(_sql.InsertOutbox, new
        {
            Topic = OutboxTopics.Document, EntityKey = stored.InvoiceKey, Payload = OutboxJson.Serialize(facts), CreatedAt = DbText.Instant(timeProvider.GetUtcNow()),
        }, transaction, cancellationToken));
    }

    /// <summary>The facts of the book's accounts and of its documents that may have changed (all when unknown), as of the save's day.</summary>
    private static IEnumerable<(string Topic, string Key, string AccountId, string Payload)> AccountFacts(SavedBook saved)
    {
        var ledger = saved.Book.Ledger;
        var changed = saved.Changed;
        foreach (var invoice in changed is { } c ? ledger.Invoices.Where(i => c.Invoices.Contains(i.Number)) : ledger.Invoices)
        {
            var balance = ledger.BalanceOf(invoice, saved.AsOf);
            var orderIds = invoice.OrderIds;
            yield return (OutboxTopics.Invoice, invoice.Number, invoice.AccountId, OutboxJson.Serialize(new InvoiceFacts(
                invoice.Number, invoice.Number, "Posted", invoice.AccountId, orderIds.Count == 1 ? orderIds[0] : null, invoice.Currency.Code,
                invoice.IssueDate, invoice.DueDate, invoice.Net.Value, invoice.Tax.Value, invoice.Total.Value, balance.Balance.Value, balance.Status.ToString(),
                balance.Paid.Value, balance.Credited.Value, balance.Disputed.Value)));
        }

        foreach (var note in changed is { } n ? ledger.CreditNotes.Where(x => n.CreditNotes.Contains(x.Number)) : ledger.CreditNotes)
        {
            var (allocated, available) = ledger.UsageOf(note);
            var orderIds = note.Lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal).ToList();
            yield return (OutboxTopics.CreditNote, note.Number, note.AccountId, OutboxJson.Serialize(new CreditNoteFacts(
                note.Number, note.Number, "Posted", note.AccountId, orderIds.Count == 1 ? orderIds[0] : null, note.CorrectsNumber, note.IssueDate, note.Currency.Code,
                note.Reason, note.Net.Value, note.Tax.Value, note.Total.Value, allocated.Value, available.Value)));
        }

        foreach (var summary in saved.Book.UsageSummaries())
        {
            var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{summary.LineId}:{summary.Period.Start:yyyyMMdd}");
            yield return (OutboxTopics.UsageSummary, key, summary.AccountId, OutboxJson.Serialize(new UsageSummaryFacts(key, summary.LineId, summary.OrderId,
                summary.Period.Start, summary.Period.End, summary.Quantity, summary.UnitOfMeasure, summary.Amount.Currency.Code, summary.Amount.Value, "Billed", summary.Invoice)));
        }

        foreach (var report in saved.Book.UsageReports.Where(r => r.DuplicateOf is null && r.Record.SourceRecordId is not null))
        {
            var status = saved.Book.StatusOf(report);
            if (status.State is Invoicing.Usage.UsageState.Billed or Invoicing.Usage.UsageState.Rejected)
            {
                yield return (OutboxTopics.Usage, report.Record.SourceRecordId!, saved.Book.Line(report.Record.LineId).AccountId,
                    OutboxJson.Serialize(new UsageFacts(report.Record.SourceRecordId!, status.State.ToString(), status.Document, status.Reason)));
            }
        }

        var balances = ledger.AccountBalances(saved.AccountIds, saved.AsOf);
        foreach (var accountId in saved.AccountIds.Order(StringComparer.Ordinal))
        {
            // An account record has one set of figures: those of the currency it is billed most in.
            if (balances[accountId].OrderByDescending(b => b.Billed.MinorUnits).FirstOrDefault() is { } figures)
            {
                yield return (OutboxTopics.Account, accountId, accountId, OutboxJson.Serialize(new Mapping.WriteBack.AccountFacts(
                    accountId, figures.Currency.Code, figures.Balance.Value, figures.Overdue.Value, figures.Disputed.Value, figures.UnappliedCredit.Value)));
            }
        }
    }

    /// <summary>Order facts for the orders new invoices billed: the last invoice, billed-through and next billing dates.</summary>
    private static IEnumerable<(string Key, string Payload)> OrderFacts(BillingBook book, IReadOnlyList<Invoice> newInvoices)
    {
        foreach (var invoice in newInvoices)
        {
            foreach (var orderId in invoice.OrderIds)
            {
                var billedThrough = invoice.Lines.Where(l => l.OrderId == orderId).Max(l => l.Period.End);
                yield return (orderId, OutboxJson.Serialize(
                    new Mapping.WriteBack.OrderFacts(orderId, invoice.Number, invoice.IssueDate, billedThrough, book.NextBillingDate(orderId, invoice.IssueDate))));
            }
        }
    }

    private static string Hash(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
}
