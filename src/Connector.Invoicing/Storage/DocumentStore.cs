using System.Security.Cryptography;
using Connector.Invoicing.Documents;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// Rendered documents, one per invoice, stored with their content hash; the <see cref="IPostingJournal"/> hears of each in the same transaction.
/// The invoice never changes; its rendering may (a layout fixed by an upgrade): <see cref="ReplaceAsync"/> stores the new
/// one and queues it as a new version of the file in the org.
/// </summary>
internal sealed class DocumentStore(ConnectorDatabase database, TimeProvider timeProvider, IPostingJournal journal)
{
    private readonly DocumentSql _sql = DocumentSql.For(database.Provider);

    public async Task<IReadOnlyList<long>> InvoicesWithoutDocumentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(database.Command(_sql.SelectInvoicesWithoutDocument, null, cancellationToken))];
    }

    /// <summary>Stores an invoice's document and its upload fact; returns null when the invoice already had one (a concurrent render).</summary>
    public Task<StoredDocument?> AddAsync(long invoiceId, string invoiceKey, string fileName, string contentType, byte[] content, CancellationToken cancellationToken) =>
        AddAsync(DocumentOwner.Invoice, invoiceId, invoiceKey, fileName, contentType, content, cancellationToken);

    public async Task<IReadOnlyList<long>> CreditNotesWithoutDocumentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(database.Command(_sql.SelectCreditNotesWithoutDocument, null, cancellationToken))];
    }

    /// <summary>Stores a credit note's document and its upload fact; returns null when it already had one (a concurrent render).</summary>
    public Task<StoredDocument?> AddCreditNoteAsync(long creditNoteId, string creditNoteKey, string fileName, string contentType, byte[] content, CancellationToken cancellationToken) =>
        AddAsync(DocumentOwner.CreditNote, creditNoteId, creditNoteKey, fileName, contentType, content, cancellationToken);

    /// <summary>The invoices (or credit notes) that have no structured file of <paramref name="format"/> yet.</summary>
    public async Task<IReadOnlyList<long>> WithoutEInvoiceAsync(DocumentOwner owner, DocumentFormat format, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = owner == DocumentOwner.CreditNote ? _sql.SelectCreditNotesWithoutEInvoice : _sql.SelectInvoicesWithoutEInvoice;
        return [.. await connection.QueryAsync<long>(database.Command(sql, new { Format = FormatName(format) }, cancellationToken))];
    }

    /// <summary>Stores a document's structured file and its upload fact, once: never replaced; null when it had one already.</summary>
    public Task<StoredDocument?> AddEInvoiceAsync(DocumentOwner owner, long ownerId, string ownerKey, DocumentFormat format, string fileName, byte[] content, CancellationToken cancellationToken) =>
        AddAsync(owner, ownerId, ownerKey, fileName, "application/xml", content, cancellationToken, format);

    private static string FormatName(DocumentFormat format) => format.ToString().ToLowerInvariant();

    private async Task<StoredDocument?> AddAsync(DocumentOwner owner, long ownerId, string ownerKey, string fileName, string contentType, byte[] content, CancellationToken cancellationToken,
        DocumentFormat format = DocumentFormat.Pdf)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var insert = format != DocumentFormat.Pdf ? _sql.InsertEInvoiceDocument : owner == DocumentOwner.CreditNote ? _sql.InsertCreditNoteDocument : _sql.InsertDocument;
        var id = await connection.ExecuteScalarAsync<long?>(database.Command(insert, new
        {
            InvoiceId = ownerId, OwnerId = ownerId, Owner = owner.ToString(), Format = FormatName(format), FileName = fileName, ContentType = contentType, Content = content,
            ContentHash = hash, CreatedAt = now,
        }, transaction, cancellationToken));
        if (id is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return null;
        }

        await journal.DocumentStoredAsync(new DocumentStored(id.Value, ownerKey, fileName, hash, Owner: owner, Format: format), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredDocument(id.Value, ownerId, fileName, contentType, content, hash, owner, format);
    }

    /// <summary>
    /// Stores a new rendering of an invoice's document and queues it as a new version of the file already sent; a
    /// rendering with the same bytes changes nothing. Returns whether it changed.
    /// </summary>
    public async Task<bool> ReplaceAsync(long invoiceId, string invoiceKey, string fileName, string contentType, byte[] content, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<DocumentRow>(database.Command(_sql.SelectDocumentByInvoiceId, new { InvoiceId = invoiceId }, transaction, cancellationToken))
            ?? throw new InvalidOperationException($"Invoice {invoiceKey} has no document to replace yet; it is rendered by the next run.");
        if (current.ContentHash == hash)
        {
            return false;
        }

        var updated = await connection.ExecuteAsync(database.Command(_sql.ReplaceDocument, new
        {
            current.Id, FileName = fileName, ContentType = contentType, Content = content, ContentHash = hash, CreatedAt = now, PreviousHash = current.ContentHash,
        }, transaction, cancellationToken));
        if (updated != 1)
        {
            throw new InvalidOperationException($"The document of {invoiceKey} changed while it was being replaced; try again.");
        }

        await journal.DocumentStoredAsync(new DocumentStored(current.Id, invoiceKey, fileName, hash, current.ContentHash), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<StoredDocument?> GetAsync(long id, CancellationToken cancellationToken) => GetAsync(DocumentOwner.Invoice, id, cancellationToken);

    public async Task<StoredDocument?> GetAsync(DocumentOwner owner, long id, CancellationToken cancellationToken, DocumentFormat format = DocumentFormat.Pdf)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = format != DocumentFormat.Pdf ? _sql.SelectEInvoiceDocumentById : owner == DocumentOwner.CreditNote ? _sql.SelectCreditNoteDocumentById : _sql.SelectDocumentById;
        var row = await connection.QuerySingleOrDefaultAsync<DocumentRow>(database.Command(sql, new { Id = id }, cancellationToken));
        return row?.ToDomain() is { } document ? document with { Owner = owner, Format = format } : null;
    }

    /// <summary>Every stored document: the invoices' PDFs, the credit notes' PDFs, then the structured files.</summary>
    public async Task<IReadOnlyList<StoredDocument>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var invoices = await connection.QueryAsync<DocumentRow>(database.Command(_sql.SelectDocuments, null, cancellationToken));
        var creditNotes = await connection.QueryAsync<DocumentRow>(database.Command(_sql.SelectCreditNoteDocuments, null, cancellationToken));
        var structured = await connection.QueryAsync<DocumentRow>(database.Command(_sql.SelectEInvoiceDocuments, null, cancellationToken));
        return
        [
            .. invoices.Select(r => r.ToDomain()),
            .. creditNotes.Select(r => r.ToDomain() with { Owner = DocumentOwner.CreditNote }),
            .. structured.Select(r => r.ToDomain() with { Owner = Enum.Parse<DocumentOwner>(r.Owner!), Format = DocumentFormat.Ubl }),
        ];
    }


    /// <summary>The stored files of <paramref name="format"/> whose documents were issued from <paramref name="from"/> to <paramref name="to"/>, by issue date; read each with <see cref="GetAsync(DocumentOwner, long, CancellationToken, DocumentFormat)"/>.</summary>
    public async Task<IReadOnlyList<IssuedFile>> IssuedBetweenAsync(DocumentFormat format, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Owner, string FileName, string IssueDate)>(database.Command(_sql.SelectIssuedBetween,
            new { Format = FormatName(format), From = DbText.Date(from), To = DbText.Date(to) }, cancellationToken));
        return [.. rows.Select(r => new IssuedFile(r.Id, Enum.Parse<DocumentOwner>(r.Owner), r.FileName, DbText.ParseDate(r.IssueDate)))];
    }

    private sealed class DocumentRow
    {
        public long Id { get; init; }
        public long InvoiceId { get; init; }
        public string FileName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public byte[] Content { get; init; } = [];
        public string ContentHash { get; init; } = "";
        public string? Owner { get; init; }

        public StoredDocument ToDomain() => new(Id, InvoiceId, FileName, ContentType, Content, ContentHash);
    }
}

/// <summary>A stored file of an issued document, without its content.</summary>
internal sealed record IssuedFile(long Id, DocumentOwner Owner, string FileName, DateOnly IssueDate);
