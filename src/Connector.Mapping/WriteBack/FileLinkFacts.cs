namespace Connector.Mapping.WriteBack;

/// <summary>An invoice's PDF landed in the org as this ContentVersion: its record can link to it.</summary>
internal sealed record FileLinkFacts(string InvoiceKey, string ContentVersionId);
