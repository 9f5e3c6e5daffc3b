using Connector.Invoicing.Documents;
using Connector.Invoicing.Storage;
using Connector.Mapping.WriteBack;
using Connector.Salesforce;
using Connector.Salesforce.Api;
using Connector.Sync.Cycles;

namespace Connector.Sync.WriteBack;

/// <summary>
/// Uploads each rendered PDF, and each document's UBL file beside it, once to its invoice (or credit note) record, once
/// that record is in the org, and queues an invoice record's link to its PDF. A credit note's files wait for nothing when the profile writes no credit notes: it has no
/// record to attach to, and is completed unsent. Exactly once in the org although at least once on the wire: an upload that may have landed before a crash is
/// looked up by its content key first, and a new rendering of a file already sent becomes a new version of that file.
/// </summary>
internal sealed class DocumentPublisher(SalesforceClient salesforce, OutboxStore outbox, DocumentStore documents, WriteBackPayloads payloads, OutboxDelivery delivery)
{
    /// <summary>Most files held in memory at once: two full upload calls' worth (200 each), so slices never leave a part-filled call between them.</summary>
    private const int PdfsInMemory = 400;

    /// <summary>Publishes the document rows of one pass; returns how many PDF links it queued.</summary>
    public async Task<int> PublishAsync(IReadOnlyList<OutboxMessage> messages, CycleReport report, CancellationToken cancellationToken)
    {
        var facts = messages.ToDictionary(m => m.Id, m => OutboxJson.Deserialize<DocumentFacts>(m.Payload));
        var orphans = messages.Where(m => facts[m.Id].Owner == DocumentOwner.CreditNote && payloads.CreditNoteTarget is null).Select(m => m.Id).ToList();
        await outbox.CompleteManyAsync(orphans, cancellationToken);
        var invoiceRecords = await RecordsAsync(facts.Values, cancellationToken);

        // A file waits until its invoice's (or credit note's) record is in the org.
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
        var queued = await delivery.SettleAsync(already, alreadyResults, "ContentVersion", rememberIds: false, report, LinksFor(facts), cancellationToken);

        // PDFs are read from the store a slice at a time, so a large pass never holds every file in memory.
        foreach (var slice in ready.Except(already).Chunk(PdfsInMemory))
        {
            queued += await UploadAsync(slice, facts, invoiceRecords, inOrg.Latest, report, cancellationToken);
        }

        return queued;
    }

    /// <summary>The org's record ids of the documents' owners, by document number (invoice and credit note series never share a number).</summary>
    private async Task<IReadOnlyDictionary<string, string>> RecordsAsync(IEnumerable<DocumentFacts> facts, CancellationToken cancellationToken)
    {
        var byOwner = facts.ToLookup(f => f.Owner);
        var records = new Dictionary<string, string>(await outbox.FindRemoteIdsAsync(payloads.InvoiceTarget.Object, byOwner[DocumentOwner.Invoice].Select(f => f.InvoiceKey), cancellationToken));
        if (payloads.CreditNoteTarget is { } creditNotes && byOwner[DocumentOwner.CreditNote].Any())
        {
            foreach (var (key, id) in await outbox.FindRemoteIdsAsync(creditNotes.Object, byOwner[DocumentOwner.CreditNote].Select(f => f.InvoiceKey), cancellationToken))
            {
                records[key] = id;
            }
        }

        return records;
    }

    /// <summary>
    /// The content key: which invoice and which bytes; a changed document gets a new key, a retry the same. A structured
    /// file's key does not start with the PDF's prefix, so it is never taken for the PDF's latest version.
    /// </summary>
    internal static string ContentKey(DocumentFacts facts) =>
        (facts.Format == DocumentFormat.Pdf ? KeyPrefix(facts.InvoiceKey) : $"{facts.InvoiceKey}.{facts.Format.ToString().ToLowerInvariant()}:") + facts.ContentHash;

    /// <summary>What every content key of an invoice's files starts with.</summary>
    private static string KeyPrefix(string invoiceKey) => invoiceKey + ":";

    private async Task<int> UploadAsync(IReadOnlyList<OutboxMessage> slice, Dictionary<long, DocumentFacts> facts, IReadOnlyDictionary<string, string> invoiceRecords,
        IReadOnlyDictionary<string, UploadedFile> latestFiles, CycleReport report, CancellationToken cancellationToken)
    {
        var uploads = new List<FileUpload>(slice.Count);
        var toUpload = new List<OutboxMessage>(slice.Count);
        var superseded = new List<long>();
        foreach (var message in slice)
        {
            var fact = facts[message.Id];
            var document = await documents.GetAsync(fact.Owner, fact.DocumentId, cancellationToken, fact.Format)
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

        var results = await delivery.SendAsync(toUpload, report, ct => salesforce.UploadFilesAsync(uploads, ct), cancellationToken);
        return results is null ? 0 : await delivery.SettleAsync(toUpload, results, "ContentVersion", rememberIds: false, report, LinksFor(facts), cancellationToken);
    }

    /// <summary>For each invoice PDF now in the org (not its structured file), a link for its invoice record to write (when the profile names a link field).</summary>
    private Func<OutboxMessage, SaveResult, (string Topic, string EntityKey, string Payload)?> LinksFor(Dictionary<long, DocumentFacts> facts) =>
        (message, result) => payloads.FileLinkField is null || result.Id is null || facts[message.Id].Owner != DocumentOwner.Invoice || facts[message.Id].Format != DocumentFormat.Pdf
            ? null
            : (OutboxTopics.FileLink, facts[message.Id].InvoiceKey, OutboxJson.Serialize(new FileLinkFacts(facts[message.Id].InvoiceKey, result.Id)));

    /// <summary>Files found in the org: by exact content key, and the latest per invoice key prefix.</summary>
    private sealed record InOrg(IReadOnlyDictionary<string, UploadedFile> Landed, IReadOnlyDictionary<string, UploadedFile> Latest);

    private async Task<InOrg?> LookUpAsync(IReadOnlyList<OutboxMessage> messages, IReadOnlyList<string> keys, IReadOnlyList<string> prefixes, CycleReport report, CancellationToken cancellationToken)
    {
        InOrg? found = null;
        await delivery.SendAsync(messages, report, async ct =>
        {
            found = new InOrg(
                keys.Count == 0 ? new Dictionary<string, UploadedFile>() : await salesforce.FindUploadedFilesAsync(payloads.ContentKeyField, keys, ct),
                prefixes.Count == 0 ? new Dictionary<string, UploadedFile>() : await salesforce.FindLatestFilesAsync(payloads.ContentKeyField, prefixes, ct));
            return [.. messages.Select(_ => new SaveResult(null, true, null, []))];
        }, countAttempt: false, cancellationToken);
        return found;
    }
}
