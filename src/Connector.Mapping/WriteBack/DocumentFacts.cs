namespace Connector.Mapping.WriteBack;

/// <summary>
/// A rendered document to attach to its invoice's (or credit note's, as <see cref="Owner"/> says) record;
/// <see cref="InvoiceKey"/> is that document's number. <see cref="ContentHash"/> (SHA-256, hex) is its content key.
/// <see cref="ReplacesContentHash"/> names the rendering it replaces, which the org then keeps as an older version of the
/// same file. Rows queued before credit notes had files carry no owner: they are invoices'; rows queued before UBL files
/// carry no format: they are PDFs.
/// </summary>
internal sealed record DocumentFacts(long DocumentId, string InvoiceKey, string FileName, string ContentHash, string? ReplacesContentHash = null,
    Connector.Invoicing.Documents.DocumentOwner Owner = Connector.Invoicing.Documents.DocumentOwner.Invoice,
    Connector.Invoicing.Documents.DocumentFormat Format = Connector.Invoicing.Documents.DocumentFormat.Pdf);
