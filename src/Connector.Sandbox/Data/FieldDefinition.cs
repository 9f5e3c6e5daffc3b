namespace Connector.Sandbox.Data;

/// <summary>A field of the sandbox schema, with what describe reports about it.</summary>
internal sealed record FieldDefinition(
    string Name,
    string Type,
    IReadOnlyList<string> PicklistValues,
    bool ExternalId,
    bool ReadOnly,
    bool RestrictedPicklist,
    string? ReferenceTo = null,
    string? RelationshipName = null)
{
    /// <summary>Parses <c>Name[:type][(values|or|target)][!ext][!ro][!restricted]</c>, e.g. <c>Status:picklist(Draft|Activated)!restricted</c>.</summary>
    public static FieldDefinition Parse(string spec)
    {
        var flags = spec.Split('!');
        var head = flags[0];
        var name = head.Split(':')[0];
        var type = head.Contains(':', StringComparison.Ordinal) ? head[(head.IndexOf(':', StringComparison.Ordinal) + 1)..] : "string";
        IReadOnlyList<string> values = [];
        var open = type.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            values = type[(open + 1)..^1].Split('|');
            type = type[..open];
        }

        return new FieldDefinition(name, type, type == "picklist" ? values : [], flags.Contains("ext"), flags.Contains("ro"), flags.Contains("restricted"),
            type == "reference" ? values.Single() : null);
    }
}
