namespace Connector.Sandbox.Data;

/// <summary>One object of the sandbox org: API name, key prefix, fields and lookup relationships.</summary>
public sealed class ObjectSchema(string name, string idPrefix, IReadOnlyList<Relationship> relationships, IEnumerable<string> fields)
{
    private readonly Dictionary<string, string> _fields = fields.ToDictionary(f => f, f => f, StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;

    public string IdPrefix { get; } = idPrefix;

    public IReadOnlyList<Relationship> Relationships { get; } = relationships;

    public IEnumerable<string> Fields => _fields.Values;

    /// <summary>The field's exact API name, or null when the object has no such field.</summary>
    public string? FieldName(string name) => _fields.GetValueOrDefault(name);

    public Relationship? FindRelationship(string name) =>
        Relationships.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
