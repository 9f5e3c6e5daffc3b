namespace Connector.Mapping.Profile;

/// <summary>Values used when a record does not say: currency (ISO 4217, default EUR), payment term days (default 30), VAT percent (default 0).</summary>
internal sealed record ProfileDefaults(string Currency = "EUR", int PaymentTermDays = 30, decimal TaxRatePercent = 0m);
