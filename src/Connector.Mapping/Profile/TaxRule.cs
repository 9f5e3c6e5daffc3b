namespace Connector.Mapping.Profile;

/// <summary>
/// A VAT rate (percent) for an account country (or <c>*</c>, any other country) and, optionally, a product family; the
/// most specific rule wins. <see cref="BusinessOnly"/> rules apply only to buyers with a tax id (intra-EU reverse
/// charge, services to businesses abroad); <see cref="ExemptReason"/> is printed for a rate of 0 (a CEF VATEX code
/// such as VATEX-EU-AE prints the wording of the buyer's language).
/// </summary>
internal sealed record TaxRule(string Country, string? ProductFamily, decimal RatePercent, SourceLocation Location)
{
    public bool BusinessOnly { get; init; }

    public string? ExemptReason { get; init; }
}
