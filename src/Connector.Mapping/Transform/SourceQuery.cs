namespace Connector.Mapping.Transform;

/// <summary>What a source reads: the object, the field paths (Id and SystemModstamp first) and the admin's SOQL filter.</summary>
internal sealed record SourceQuery(string ObjectName, IReadOnlyList<string> Fields, string? Where);
