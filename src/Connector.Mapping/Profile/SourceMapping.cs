namespace Connector.Mapping.Profile;

/// <summary>One Salesforce object read for billing: its API name, an optional SOQL filter, and its billing inputs.</summary>
internal sealed record SourceMapping(string Name, string Object, string? Where, IReadOnlyDictionary<string, FieldSpec> Fields, SourceLocation Location);
