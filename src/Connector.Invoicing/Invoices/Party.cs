namespace Connector.Invoicing.Invoices;

/// <summary>
/// A seller or buyer as printed on a document, frozen at posting; the buyer's <see cref="Language"/> (en, es, de, da) is
/// the documents' language. <see cref="EndpointId"/> and <see cref="EndpointScheme"/> are its electronic address (a
/// Peppol participant: the id and its ISO 6523 / EAS scheme code, e.g. 9920 and a Spanish VAT number);
/// <see cref="Reference"/> is what the buyer asks its invoices to quote (EN 16931 BT-10, Germany's Leitweg-ID).
/// </summary>
internal sealed record Party(
    string Name,
    string? TaxId = null,
    string? Street = null,
    string? City = null,
    string? PostalCode = null,
    string? Country = null,
    string? Language = null,
    string? EndpointId = null,
    string? EndpointScheme = null,
    string? Reference = null);
