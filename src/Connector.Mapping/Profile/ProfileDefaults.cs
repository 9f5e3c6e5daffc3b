namespace Connector.Mapping.Profile;

/// <summary>Values used when a record does not say: currency (ISO 4217), payment term days, VAT percent.</summary>
public sealed class ProfileDefaults
{
    public string Currency { get; set; } = "EUR";

    public int PaymentTermDays { get; set; } = 30;

    public decimal TaxRatePercent { get; set; }
}
