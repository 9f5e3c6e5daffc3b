using System.Text.Json.Nodes;
using Connector.Mapping.Profile;
using Connector.Mapping.WriteBack;
using Connector.Salesforce;
using Connector.Salesforce.Api;
using Connector.Sync.Cycles;

namespace Connector.Sync.WriteBack;

/// <summary>
/// Writes the records the org shows sales users: invoices upserted by their external id, orders and accounts updated by
/// the Id the org gave, together in as few calls as <see cref="SalesforceClient.SaveAsync"/> needs (collections of 200
/// packed into Composite calls, or Bulk API jobs for large passes); and each invoice record's link to its PDF. Only the
/// newest fact per record is sent; upserts are idempotent, so a retried write lands once.
/// </summary>
internal sealed class RecordWriter(SalesforceClient salesforce, OutboxStore outbox, WriteBackPayloads payloads, OutboxDelivery delivery)
{
    /// <summary>Writes the invoice, order and account rows of one pass.</summary>
    public async Task WriteRecordsAsync(IReadOnlyList<OutboxMessage> pending, CycleReport report, CancellationToken cancellationToken)
    {
        var writes = new List<RecordWrite?>
        {
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Invoice)], payloads.InvoiceTarget,
                (m, first) => payloads.InvoiceRecord(OutboxJson.Deserialize<InvoiceFacts>(m.Payload), first), cancellationToken),
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Order)], payloads.OrderTarget,
                (m, first) => payloads.OrderRecord(OutboxJson.Deserialize<OrderFacts>(m.Payload), first), cancellationToken),
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Account)], payloads.AccountTarget,
                (m, first) => payloads.AccountRecord(OutboxJson.Deserialize<AccountFacts>(m.Payload), first), cancellationToken),
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.CreditNote)], payloads.CreditNoteTarget,
                (m, first) => payloads.CreditNoteRecord(OutboxJson.Deserialize<CreditNoteFacts>(m.Payload), first), cancellationToken),
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.UsageSummary)], payloads.UsageSummaryTarget,
                (m, first) => payloads.UsageSummaryRecord(OutboxJson.Deserialize<UsageSummaryFacts>(m.Payload), first), cancellationToken),
            await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Usage)], payloads.UsageTarget,
                (m, first) => payloads.UsageRecord(OutboxJson.Deserialize<UsageFacts>(m.Payload), first), cancellationToken),
        };
        await WriteAsync([.. writes.OfType<RecordWrite>()], report, cancellationToken);
    }

    /// <summary>Writes each invoice record's link to its PDF (an update by the record's Id), once the record is in the org.</summary>
    public async Task WriteLinksAsync(IReadOnlyList<OutboxMessage> messages, CycleReport report, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var latest = await delivery.LatestPerEntityAsync(messages, cancellationToken);
        var invoiceRecords = await outbox.FindRemoteIdsAsync(payloads.InvoiceTarget.Object, latest.Select(m => m.EntityKey), cancellationToken);
        var ready = latest.Where(m => invoiceRecords.ContainsKey(m.EntityKey)).ToList();
        var records = ready.Select(m => payloads.FileLinkRecord(invoiceRecords[m.EntityKey], OutboxJson.Deserialize<FileLinkFacts>(m.Payload))).ToList();
        var results = ready.Count == 0 ? [] : await delivery.SendAsync(ready, report, ct => salesforce.UpdateAsync(records, ct), cancellationToken);
        if (results is not null)
        {
            await delivery.SettleAsync(ready, results, "PDF link", rememberIds: false, report, cancellationToken);
        }
    }

    /// <summary>The outbox rows behind one object's records and the request that writes them.</summary>
    private sealed record RecordWrite(IReadOnlyList<OutboxMessage> Messages, SaveRequest Request);

    /// <summary>
    /// One object's records to write: only the newest fact per record (older facts are completed as superseded),
    /// upserted by the target's external id or updated by the Id the org gave.
    /// </summary>
    private async Task<RecordWrite?> RecordsAsync(IReadOnlyList<OutboxMessage> messages, WriteBackTarget? target, Func<OutboxMessage, bool, JsonObject> record,
        CancellationToken cancellationToken)
    {
        if (target is null || target.Fields.Count == 0)
        {
            await outbox.CompleteManyAsync([.. messages.Select(m => m.Id)], cancellationToken); // the profile writes nothing to this object
            return null;
        }

        var latest = await delivery.LatestPerEntityAsync(messages, cancellationToken);
        if (latest.Count == 0)
        {
            return null;
        }

        var known = await outbox.FindRemoteIdsAsync(target.Object, latest.Select(m => m.EntityKey), cancellationToken);
        var records = latest.Select(m => record(m, !known.ContainsKey(m.EntityKey))).ToList();
        return new RecordWrite(latest, new SaveRequest(target.Object, target.ExternalIdField is { Length: > 0 } externalId ? externalId : null, records));
    }

    /// <summary>
    /// Invoices, orders and accounts in one <see cref="SalesforceClient.SaveAsync"/>: their collections chunks share
    /// Composite calls (invoices first), or go through Bulk API above its threshold. Each record settles on its own.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<RecordWrite> writes, CycleReport report, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var results = await delivery.SendAsync([.. writes.SelectMany(w => w.Messages)], report,
            async ct => [.. (await salesforce.SaveAsync([.. writes.Select(w => w.Request)], ct)).SelectMany(r => r)], cancellationToken);
        if (results is null)
        {
            return;
        }

        var offset = 0;
        foreach (var write in writes)
        {
            await delivery.SettleAsync(write.Messages, [.. results.Skip(offset).Take(write.Messages.Count)], write.Request.SObject, rememberIds: true, report, cancellationToken);
            offset += write.Messages.Count;
        }
    }
}
