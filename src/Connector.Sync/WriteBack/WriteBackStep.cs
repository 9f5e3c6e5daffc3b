using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Mapping.Profile;
using Connector.Mapping.WriteBack;
using Connector.Salesforce.Api;
using Connector.Salesforce;
using Connector.Sync.Cycles;
using Microsoft.Extensions.Options;

namespace Connector.Sync.WriteBack;

/// <summary>
/// Drains the outbox: invoices are upserted by their external id and orders and accounts updated, together in as few
/// calls as <see cref="SalesforceClient.SaveAsync"/> needs (collections of 200 packed into Composite calls, or Bulk API
/// jobs for large passes); then each PDF is uploaded once to its invoice record, and its link written. Per-record failures are retried later with backoff when
/// retryable and parked as Failed when not. Effects are at-least-once on the wire and exactly-once in the org:
/// upserts are idempotent, and an upload that may have landed before a crash is looked up by its content key first.
/// A pass takes up to <see cref="SyncOptions.WriteBackBatchSize"/> rows and repeats while full batches make progress,
/// so one cycle drains a backlog.
/// </summary>
public sealed class WriteBackStep(
    SalesforceClient salesforce,
    OutboxStore outbox,
    DocumentStore documents,
    WriteBackPayloads payloads,
    BudgetGate budget,
    IOptions<SyncOptions> options)
{
    public async Task RunAsync(CycleReport report, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await budget.PauseReasonAsync(cancellationToken) is { } reason)
            {
                report.Paused = reason; // the outbox keeps everything until the budget allows
                return;
            }

            var pending = await outbox.PendingAsync(options.Value.WriteBackBatchSize, cancellationToken);
            var settledBefore = report.TotalWrittenBack + report.WriteBackFailures.Count;
            var records = new List<RecordWrite?>
            {
                await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Invoice)], payloads.InvoiceTarget,
                    (m, first) => payloads.InvoiceRecord(OutboxJson.Deserialize<InvoiceFacts>(m.Payload), first), cancellationToken),
                await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Order)], payloads.OrderTarget,
                    (m, first) => payloads.OrderRecord(OutboxJson.Deserialize<OrderFacts>(m.Payload), first), cancellationToken),
                await RecordsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Account)], payloads.AccountTarget,
                    (m, first) => payloads.AccountRecord(OutboxJson.Deserialize<AccountFacts>(m.Payload), first), cancellationToken),
            };
            await WriteAsync([.. records.OfType<RecordWrite>()], report, cancellationToken);
            var linksQueued = await DocumentsAsync([.. pending.Where(m => m.Topic == OutboxTopics.Document)], report, cancellationToken);
            await FileLinksAsync([.. pending.Where(m => m.Topic == OutboxTopics.FileLink)], report, cancellationToken);
            var settled = report.TotalWrittenBack + report.WriteBackFailures.Count - settledBefore;
            // Links of PDFs uploaded in this pass were queued after it began: one more pass writes them.
            if ((pending.Count < options.Value.WriteBackBatchSize && linksQueued == 0) || settled == 0)
            {
                return;
            }
        }
    }

    /// <summary>The outbox rows behind one object's records and the request that writes them.</summary>
    private sealed record RecordWrite(IReadOnlyList<OutboxMessage> Messages, SaveRequest Request);

    /// <summary>
    /// One object's records to write: only the newest fact per record (one call may not name a record twice; older
    /// facts are completed as superseded), upserted by the target's external id or updated by the Id the org gave.
    /// </summary>
    private async Task<RecordWrite?> RecordsAsync(IReadOnlyList<OutboxMessage> messages, WriteBackTarget? target, Func<OutboxMessage, bool, JsonObject> record,
        CancellationToken cancellationToken)
    {
        var superseded = messages.GroupBy(m => m.EntityKey, StringComparer.Ordinal).SelectMany(g => g.OrderByDescending(m => m.Id).Skip(1)).ToList();
        var latest = messages.Except(superseded).ToList();
        if (target is null || target.Fields.Count == 0)
        {
            superseded.AddRange(latest); // the profile writes nothing to this object: nothing to send
            latest.Clear();
        }

        await outbox.CompleteManyAsync([.. superseded.Select(m => m.Id)], cancellationToken);
        if (latest.Count == 0)
        {
            return null;
        }

        var known = await outbox.FindRemoteIdsAsync(target!.Object, latest.Select(m => m.EntityKey), cancellationToken);
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

        var results = await SendAsync([.. writes.SelectMany(w => w.Messages)], report,
            async ct => [.. (await salesforce.SaveAsync([.. writes.Select(w => w.Request)], ct)).SelectMany(r => r)], cancellationToken);
        if (results is null)
        {
            return;
        }

        var offset = 0;
        foreach (var write in writes)
        {
            await SettleAsync(write.Messages, [.. results.Skip(offset).Take(write.Messages.Count)], write.Request.SObject, rememberIds: true, report, cancellationToken);
            offset += write.Messages.Count;
        }
    }

    /// <returns>How many PDF links it queued.</returns>
    private async Task<int> DocumentsAsync(IReadOnlyList<OutboxMessage> messages, CycleReport report, CancellationToken cancellationToken)
    {
        var facts = messages.ToDictionary(m => m.Id, m => OutboxJson.Deserialize<DocumentFacts>(m.Payload));
        var invoiceRecords = await outbox.FindRemoteIdsAsync(payloads.InvoiceTarget.Object, facts.Values.Select(f => f.InvoiceKey), cancellationToken);

        // A file waits until its invoice record is in the org.
        var ready = messages.Where(m => invoiceRecords.ContainsKey(facts[m.Id].InvoiceKey)).ToList();
        if (ready.Count == 0)
        {
            return 0;
        }

        // What is already in the org: an earlier attempt that may have landed before the process stopped (by its content
        // key), and the file a new rendering becomes a version of (the latest of the invoice's files, by key prefix).
        var retried = ready.Where(m => m.Attempts > 0).ToList();
        var replacing = ready.Where(m => facts[m.Id].ReplacesContentHash is not null).ToList();
        var inOrg = retried.Count + replacing.Count == 0
            ? new InOrg(new Dictionary<string, UploadedFile>(), new Dictionary<string, UploadedFile>())
            : await LookUpAsync([.. retried.Union(replacing)], [.. retried.Select(m => ContentKey(facts[m.Id]))], [.. replacing.Select(m => KeyPrefix(facts[m.Id].InvoiceKey))], report, cancellationToken);
        if (inOrg is null)
        {
            return 0; // the lookup failed; the rows are rescheduled
        }

        var landed = inOrg.Landed;
        var already = ready.Where(m => m.Attempts > 0 && landed.ContainsKey(ContentKey(facts[m.Id]))).ToList();
        IReadOnlyList<SaveResult> alreadyResults = [.. already.Select(m => new SaveResult(landed[ContentKey(facts[m.Id])].ContentVersionId, true, false, []))];
        var queued = await SettleAsync(already, alreadyResults, "ContentVersion", rememberIds: false, report, cancellationToken, LinksFor(facts));

        // PDFs are read from the store a slice at a time, so a large pass never holds every file in memory.
        foreach (var slice in ready.Except(already).Chunk(PdfsInMemory))
        {
            queued += await UploadAsync(slice, facts, invoiceRecords, inOrg.Latest, report, cancellationToken);
        }

        return queued;
    }

    /// <summary>Most PDFs held in memory at once: ten Composite calls' worth.</summary>
    private const int PdfsInMemory = 250;

    private async Task<int> UploadAsync(IReadOnlyList<OutboxMessage> slice, Dictionary<long, DocumentFacts> facts, IReadOnlyDictionary<string, string> invoiceRecords,
        IReadOnlyDictionary<string, UploadedFile> latestFiles, CycleReport report, CancellationToken cancellationToken)
    {
        var uploads = new List<FileUpload>(slice.Count);
        var toUpload = new List<OutboxMessage>(slice.Count);
        var superseded = new List<long>();
        foreach (var message in slice)
        {
            var fact = facts[message.Id];
            var document = await documents.GetAsync(fact.DocumentId, cancellationToken)
                ?? throw new InvalidOperationException($"Document {fact.DocumentId} of outbox row {message.Id} is missing.");
            if (document.ContentHash != fact.ContentHash)
            {
                superseded.Add(message.Id); // rendered again since: the newer rendering's row sends it
                continue;
            }

            // A new rendering of a file already in the org is its new version; otherwise a new file on the invoice record.
            var previous = fact.ReplacesContentHash is not null && latestFiles.TryGetValue(KeyPrefix(fact.InvoiceKey), out var file) ? file.ContentDocumentId : null;
            uploads.Add(new FileUpload(document.FileName, Path.GetFileNameWithoutExtension(document.FileName), document.Content,
                invoiceRecords[fact.InvoiceKey], payloads.ContentKeyField, ContentKey(fact), previous));
            toUpload.Add(message);
        }

        await outbox.CompleteManyAsync(superseded, cancellationToken);
        if (toUpload.Count == 0)
        {
            return 0;
        }

        var results = await SendAsync(toUpload, report, ct => salesforce.UploadFilesAsync(uploads, ct), cancellationToken);
        if (results is null)
        {
            return 0;
        }

        return await SettleAsync(toUpload, results, "ContentVersion", rememberIds: false, report, cancellationToken, LinksFor(facts));
    }

    /// <summary>For each PDF now in the org, a link for its invoice record to write (when the profile names a link field).</summary>
    private Func<OutboxMessage, SaveResult, (string Topic, string EntityKey, string Payload)?> LinksFor(Dictionary<long, DocumentFacts> facts) =>
        (message, result) => payloads.FileLinkField is null || result.Id is null
            ? null
            : (OutboxTopics.FileLink, facts[message.Id].InvoiceKey, OutboxJson.Serialize(new FileLinkFacts(facts[message.Id].InvoiceKey, result.Id)));

    /// <summary>Writes each invoice record's link to its PDF (an update by the record's Id).</summary>
    private async Task FileLinksAsync(IReadOnlyList<OutboxMessage> messages, CycleReport report, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var superseded = messages.GroupBy(m => m.EntityKey, StringComparer.Ordinal).SelectMany(g => g.OrderByDescending(m => m.Id).Skip(1)).ToList();
        await outbox.CompleteManyAsync([.. superseded.Select(m => m.Id)], cancellationToken);
        var latest = messages.Except(superseded).ToList();
        var invoiceRecords = await outbox.FindRemoteIdsAsync(payloads.InvoiceTarget.Object, latest.Select(m => m.EntityKey), cancellationToken);
        var ready = latest.Where(m => invoiceRecords.ContainsKey(m.EntityKey)).ToList();
        var records = ready.Select(m => payloads.FileLinkRecord(invoiceRecords[m.EntityKey], OutboxJson.Deserialize<FileLinkFacts>(m.Payload))).ToList();
        var results = ready.Count == 0 ? [] : await SendAsync(ready, report, ct => salesforce.UpdateAsync(records, ct), cancellationToken);
        if (results is not null)
        {
            await SettleAsync(ready, results, "PDF link", rememberIds: false, report, cancellationToken);
        }
    }

    /// <summary>Files found in the org: by exact content key, and the latest per invoice key prefix.</summary>
    private sealed record InOrg(IReadOnlyDictionary<string, UploadedFile> Landed, IReadOnlyDictionary<string, UploadedFile> Latest);

    private async Task<InOrg?> LookUpAsync(IReadOnlyList<OutboxMessage> messages, IReadOnlyList<string> keys, IReadOnlyList<string> prefixes, CycleReport report, CancellationToken cancellationToken)
    {
        InOrg? found = null;
        await SendAsync(messages, report, async ct =>
        {
            found = new InOrg(
                keys.Count == 0 ? new Dictionary<string, UploadedFile>() : await salesforce.FindUploadedFilesAsync(payloads.ContentKeyField, keys, ct),
                prefixes.Count == 0 ? new Dictionary<string, UploadedFile>() : await salesforce.FindLatestFilesAsync(payloads.ContentKeyField, prefixes, ct));
            return [.. messages.Select(_ => new SaveResult(null, true, null, []))];
        }, cancellationToken, countAttempt: false);
        return found;
    }

    /// <summary>The content key: which invoice and which bytes; a changed document gets a new key, a retry the same.</summary>
    internal static string ContentKey(DocumentFacts facts) => KeyPrefix(facts.InvoiceKey) + facts.ContentHash;

    /// <summary>What every content key of an invoice's files starts with.</summary>
    private static string KeyPrefix(string invoiceKey) => invoiceKey + ":";

    /// <summary>Counts the attempt, sends, and on a whole-call failure reschedules every message of the call.</summary>
    private async Task<IReadOnlyList<SaveResult>?> SendAsync(
        IReadOnlyList<OutboxMessage> messages,
        CycleReport report,
        Func<CancellationToken, Task<IReadOnlyList<SaveResult>>> send,
        CancellationToken cancellationToken,
        bool countAttempt = true)
    {
        if (countAttempt)
        {
            await outbox.StartAttemptAsync([.. messages.Select(m => m.Id)], cancellationToken);
        }

        try
        {
            return await send(cancellationToken);
        }
        catch (SalesforceApiException ex)
        {
            foreach (var message in messages)
            {
                await FailAsync(message, ex.Message, permanent: !ex.IsTransient && ex.ErrorCode != "MALFORMED_RESPONSE", report, cancellationToken);
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
            && !cancellationToken.IsCancellationRequested)
        {
            foreach (var message in messages)
            {
                await FailAsync(message, $"{ex.GetType().Name}: {ex.Message}", permanent: false, report, cancellationToken);
            }

            return null;
        }
    }

    /// <summary>
    /// Settles the messages whose record was saved, in one transaction with the ids the org gave them and the follow-ups
    /// they call for, and reschedules or parks the others. Returns how many follow-ups it queued.
    /// </summary>
    private async Task<int> SettleAsync(IReadOnlyList<OutboxMessage> messages, IReadOnlyList<SaveResult> results, string objectName, bool rememberIds, CycleReport report,
        CancellationToken cancellationToken, Func<OutboxMessage, SaveResult, (string Topic, string EntityKey, string Payload)?>? followUp = null)
    {
        var saved = messages.Zip(results).Where(p => p.Second.Success).ToList();
        IReadOnlyList<(string, string)> remoteIds = rememberIds ? [.. saved.Where(p => p.Second.Id is not null).Select(p => (p.First.EntityKey, p.Second.Id!))] : [];
        IReadOnlyList<(string, string, string)> followUps = followUp is null ? [] : [.. saved.Select(p => followUp(p.First, p.Second)).OfType<(string, string, string)>()];
        await outbox.SettleAsync(new OutboxSettlement([.. saved.Select(p => p.First.Id)], objectName, remoteIds, followUps), cancellationToken);
        if (saved.Count > 0)
        {
            report.WrittenBack[objectName] = report.WrittenBack.GetValueOrDefault(objectName) + saved.Count;
        }

        foreach (var (message, result) in messages.Zip(results).Where(p => !p.Second.Success))
        {
            await FailAsync(message, $"{objectName} {message.EntityKey}: {result}", permanent: !result.IsRetryable, report, cancellationToken);
        }

        return followUps.Count;
    }

    private async Task FailAsync(OutboxMessage message, string error, bool permanent, CycleReport report, CancellationToken cancellationToken)
    {
        // Failures, not started attempts, decide parking: an attempt a crash cut short never brings a row closer to Failed.
        var failures = message.Failures + 1;
        var parked = permanent || failures >= options.Value.MaxWriteBackAttempts;
        var baseDelay = report.QuickRetries ? TimeSpan.FromTicks(Math.Min(options.Value.WriteBackRetryDelay.Ticks, QuickRetryDelay.Ticks)) : options.Value.WriteBackRetryDelay;
        var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, baseDelay.Ticks * (1L << Math.Min(failures - 1, 20))));
        await outbox.FailAsync(message.Id, error, delay, parked, cancellationToken);
        report.WriteBackFailures.Add(parked ? $"{error} (parked as Failed)" : $"{error} (retrying in {delay})");
        if (parked)
        {
            report.ParkedWriteBacks++;
        }
    }

    /// <summary>First retry delay of <c>sync --once</c>, which retries within its own invocation: 1 s, then 2, 4, 8…</summary>
    private static readonly TimeSpan QuickRetryDelay = TimeSpan.FromSeconds(1);
}
