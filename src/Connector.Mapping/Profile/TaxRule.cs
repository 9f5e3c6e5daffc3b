namespace Connector.Mapping.Profile;

/// <summary>A VAT rate (percent) for an account country and, optionally, a product family; the most specific rule wins.</summary>
internal sealed record TaxRule(string Country, string? ProductFamily, decimal RatePercent, SourceLocation Location);
