namespace Connector.Mapping.Profile;

/// <summary>
/// A billing input a source can map: its name, kind, whether a profile must map it, and for picklist inputs the values
/// billing understands (a value map must translate the org's values to these).
/// </summary>
public sealed record InputDefinition(string Name, InputKind Kind, bool Required = false, IReadOnlyList<string>? AllowedValues = null);
