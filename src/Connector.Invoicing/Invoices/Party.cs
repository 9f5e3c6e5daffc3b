namespace Connector.Invoicing.Invoices;

/// <summary>A seller or buyer as printed on a document, frozen at posting.</summary>
internal sealed record Party(
    string Name,
    string? TaxId = null,
    string? Street = null,
    string? City = null,
    string? PostalCode = null,
    string? Country = null);
