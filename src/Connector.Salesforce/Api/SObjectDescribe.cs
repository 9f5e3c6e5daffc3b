namespace Connector.Salesforce.Api;

/// <summary>What describe says of an object: its fields as the integration user sees them (FLS-hidden fields are absent).</summary>
internal sealed record SObjectDescribe(string Name, IReadOnlyList<FieldDescribe> Fields);

/// <summary>One field of a describe result, with the properties the mapping validation needs.</summary>
internal sealed record FieldDescribe(
    string Name,
    string Type,
    bool Createable,
    bool Updateable,
    bool ExternalId,
    bool IdLookup,
    bool RestrictedPicklist,
    IReadOnlyList<string> PicklistValues,
    IReadOnlyList<string> ReferenceTo,
    string? RelationshipName);
