namespace Connector.Mapping.Validation;

/// <summary>
/// A field as the org describes it to the integration user. <see cref="Type"/> is Salesforce's describe type
/// (string, picklist, date, currency, reference...). <see cref="PicklistValues"/> holds the active values.
/// </summary>
internal sealed record OrgField(
    string Name,
    string Type,
    bool Createable,
    bool Updateable,
    bool ExternalId,
    bool RestrictedPicklist,
    IReadOnlyList<string> PicklistValues,
    IReadOnlyList<string> ReferenceTo,
    string? RelationshipName);
