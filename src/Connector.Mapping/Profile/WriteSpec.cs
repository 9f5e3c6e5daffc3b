namespace Connector.Mapping.Profile;

/// <summary>
/// One written field: the Salesforce field, the billing fact it receives, and when it is written. With
/// <see cref="Via"/>, the field is a lookup set through the parent record's external id (the fact is that key), as
/// Salesforce's upserts allow (<c>"Parent__r": { "Key__c": "…" }</c>): no Id needs to be known.
/// </summary>
internal sealed record WriteSpec(string Field, string Fact, WriteMode Mode, SourceLocation Location)
{
    public string? Via { get; init; }
}
