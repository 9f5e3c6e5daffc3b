namespace Connector.Mapping.Profile;

/// <summary>
/// VAT by the account's billing country (as the org spells it) and product family. A rule with the family beats one
/// without; with no rule, the profile's default rate applies.
/// </summary>
internal sealed record TaxRateTable(IReadOnlyList<TaxRule> Rules)
{
    public static TaxRateTable Empty { get; } = new([]);

    public decimal? RateFor(string? country, string? productFamily)
    {
        if (country is null)
        {
            return null;
        }

        var matches = Rules.Where(r => string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.FirstOrDefault(r => r.ProductFamily is not null && string.Equals(r.ProductFamily, productFamily, StringComparison.OrdinalIgnoreCase))?.RatePercent
            ?? matches.FirstOrDefault(r => r.ProductFamily is null)?.RatePercent;
    }
}
