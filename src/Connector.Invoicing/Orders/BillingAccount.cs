namespace Connector.Invoicing.Orders;

/// <summary>
/// The buyer as the invoice names it. <see cref="AccountId"/> is the source system's id (a Salesforce Account Id).
/// <see cref="BillingDayOfMonth"/> (1-31) overrides the configured billing day for this account; <see cref="Language"/>
/// (en, es, de, da) the language of its documents, else its billing country's. <see cref="EndpointId"/> and
/// <see cref="EndpointScheme"/> are its electronic address (Peppol), <see cref="BuyerReference"/> what its invoices must quote.
/// </summary>
internal sealed record BillingAccount(
    string AccountId,
    string Name,
    string? Street = null,
    string? City = null,
    string? PostalCode = null,
    string? Country = null,
    string? TaxId = null,
    int? BillingDayOfMonth = null,
    string? Language = null,
    string? EndpointId = null,
    string? EndpointScheme = null,
    string? BuyerReference = null);
