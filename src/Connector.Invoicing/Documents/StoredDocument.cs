namespace Connector.Invoicing.Documents;

/// <summary>A rendered document as stored: its bytes and their SHA-256 (hex, lower case), the content key for uploads.</summary>
internal sealed record StoredDocument(long Id, long InvoiceId, string FileName, string ContentType, byte[] Content, string ContentHash);

/// <summary>A drawn PDF, and the characters no shipped font has (printed as U+FFFD) for the caller to report.</summary>
internal sealed record RenderedPdf(byte[] Pdf, IReadOnlyList<string> Replaced);
