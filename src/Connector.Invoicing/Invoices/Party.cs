namespace Connector.Invoicing.Invoices;

/// <summary>A seller or buyer as printed on a document, frozen at posting; the buyer's <see cref="Language"/> (en, es, de, da) is the documents' language.</summary>
internal sealed record Party(
    string Name,
    string? TaxId = null,
    string? Street = null,
    string? City = null,
    string? PostalCode = null,
    string? Country = null,
    string? Language = null);
