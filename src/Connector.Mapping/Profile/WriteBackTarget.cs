namespace Connector.Mapping.Profile;

/// <summary>One object written back. Upserted by <see cref="ExternalIdField"/> when set, otherwise updated by record Id.</summary>
internal sealed record WriteBackTarget(string Name, string Object, string? ExternalIdField, IReadOnlyDictionary<string, WriteSpec> Fields, SourceLocation Location);
