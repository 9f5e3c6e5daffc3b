namespace Connector.Invoicing.Documents;

/// <summary>A rendered document as stored: its bytes and their SHA-256 (hex, lower case), the content key for uploads.</summary>
internal sealed record StoredDocument(long Id, long InvoiceId, string FileName, string ContentType, byte[] Content, string ContentHash);
