namespace Connector.Invoicing.Documents;

/// <summary>
/// A rendered document as stored: its bytes and their SHA-256 (hex, lower case), the content key for uploads.
/// <see cref="OwnerId"/> is the invoice's or credit note's id, as <see cref="Owner"/> says; <see cref="Format"/> says
/// whether it is the PDF people read or the structured file (UBL) systems read.
/// </summary>
internal sealed record StoredDocument(long Id, long OwnerId, string FileName, string ContentType, byte[] Content, string ContentHash,
    DocumentOwner Owner = DocumentOwner.Invoice, DocumentFormat Format = DocumentFormat.Pdf);

/// <summary>What kind of file a stored document is.</summary>
internal enum DocumentFormat
{
    /// <summary>The PDF a person reads; a new rendering may replace it (tables document and credit_note_document).</summary>
    Pdf,

    /// <summary>The UBL 2.1 file (EN 16931, Peppol BIS Billing 3.0): written once, never replaced (table e_invoice_document).</summary>
    Ubl,
}

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
