namespace Connector.Mapping.Profile;

/// <summary>A picklist translation: the org's value (exact, as the API returns it) → billing's value, with where each entry is written.</summary>
internal sealed record ValueMap(string Name, IReadOnlyDictionary<string, string> Entries, IReadOnlyDictionary<string, SourceLocation> EntryLocations, SourceLocation Location);
