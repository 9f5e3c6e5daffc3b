namespace Connector.Mapping.Profile;

/// <summary>
/// VAT by the account's billing country (as the org spells it, or <c>*</c> for any country no rule names), product
/// family, and whether the buyer is a business (has a tax id). The most specific rule wins: a named country before
/// <c>*</c>, then a family before none, then a business rule before a general one; with no rule, the profile's default
/// rate applies.
/// </summary>
internal sealed record TaxRateTable(IReadOnlyList<TaxRule> Rules)
{
    public const string AnyCountry = "*";

    public static TaxRateTable Empty { get; } = new([]);

    public decimal? RateFor(string? country, string? productFamily) => RuleFor(country, productFamily, hasTaxId: false)?.RatePercent;

    public TaxRule? RuleFor(string? country, string? productFamily, bool hasTaxId)
    {
        if (country is null)
        {
            return null;
        }

        return Best(Rules.Where(r => string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase)), productFamily, hasTaxId)
            ?? Best(Rules.Where(r => r.Country == AnyCountry), productFamily, hasTaxId);
    }

    private static TaxRule? Best(IEnumerable<TaxRule> rules, string? productFamily, bool hasTaxId) =>
        rules
            .Where(r => (r.ProductFamily is null || string.Equals(r.ProductFamily, productFamily, StringComparison.OrdinalIgnoreCase)) && (!r.BusinessOnly || hasTaxId))
            .OrderByDescending(r => r.ProductFamily is not null)
            .ThenByDescending(r => r.BusinessOnly)
            .FirstOrDefault();
}
