namespace Connector.Mapping.Profile;

/// <summary>VAT percent by the account's billing country, as the org spells it (e.g. <c>ES: 21</c>).</summary>
public sealed class TaxRateTable
{
    public Dictionary<string, decimal> ByCountry { get; set; } = [];
}
