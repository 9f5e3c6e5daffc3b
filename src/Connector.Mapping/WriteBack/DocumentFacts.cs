namespace Connector.Mapping.WriteBack;

/// <summary>
/// A rendered document to attach to its invoice's record; <see cref="ContentHash"/> (SHA-256, hex) is its content key.
/// <see cref="ReplacesContentHash"/> names the rendering it replaces, which the org then keeps as an older version of the
/// same file.
/// </summary>
internal sealed record DocumentFacts(long DocumentId, string InvoiceKey, string FileName, string ContentHash, string? ReplacesContentHash = null);
