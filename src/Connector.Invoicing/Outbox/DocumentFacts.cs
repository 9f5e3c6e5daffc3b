namespace Connector.Invoicing.Outbox;

/// <summary>A rendered document to attach to its invoice's record; <see cref="ContentHash"/> (SHA-256, hex) is its content key.</summary>
public sealed record DocumentFacts(long DocumentId, string InvoiceKey, string FileName, string ContentHash);
