namespace Connector.Invoicing.Documents;

/// <summary>
/// A rendered document as stored: its bytes and their SHA-256 (hex, lower case), the content key for uploads.
/// <see cref="OwnerId"/> is the invoice's or credit note's id, as <see cref="Owner"/> says.
/// </summary>
internal sealed record StoredDocument(long Id, long OwnerId, string FileName, string ContentType, byte[] Content, string ContentHash,
    DocumentOwner Owner = DocumentOwner.Invoice);

/// <summary>What a stored document is the rendering of.</summary>
internal enum DocumentOwner
{
    /// <summary>A posted invoice (table document).</summary>
    Invoice,

    /// <summary>A posted credit note (table credit_note_document).</summary>
    CreditNote,
}

/// <summary>A drawn PDF, and the characters no shipped font has (printed as U+FFFD) for the caller to report.</summary>
internal sealed record RenderedPdf(byte[] Pdf, IReadOnlyList<string> Replaced);
