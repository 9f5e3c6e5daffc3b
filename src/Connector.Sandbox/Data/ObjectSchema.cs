namespace Connector.Sandbox.Data;

/// <summary>One object of the sandbox org: API name, key prefix, fields and lookup relationships. Fields hidden by FLS do not exist for the integration user.</summary>
internal sealed class ObjectSchema
{
    private readonly Dictionary<string, FieldDefinition> _fields;
    private readonly HashSet<string> _hidden = new(StringComparer.OrdinalIgnoreCase);

    public ObjectSchema(string name, string idPrefix, IReadOnlyList<Relationship> relationships, IEnumerable<FieldDefinition> fields)
    {
        Name = name;
        IdPrefix = idPrefix;
        Relationships = relationships;
        _fields = fields.ToDictionary(
            f => f.Name,
            f => relationships.FirstOrDefault(r => r.IdField.Equals(f.Name, StringComparison.OrdinalIgnoreCase)) is { } r
                ? f with { Type = "reference", ReferenceTo = r.TargetObject, RelationshipName = r.Name }
                : f,
            StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public string IdPrefix { get; }

    public IReadOnlyList<Relationship> Relationships { get; }

    /// <summary>The fields the integration user can see.</summary>
    public IEnumerable<FieldDefinition> Fields => _fields.Values.Where(f => !_hidden.Contains(f.Name));

    /// <summary>The field's exact API name, or null when the object has no such field (or FLS hides it).</summary>
    public string? FieldName(string name) => _fields.TryGetValue(name, out var field) && !_hidden.Contains(name) ? field.Name : null;

    public FieldDefinition? Field(string name) => FieldName(name) is { } exact ? _fields[exact] : null;

    public Relationship? FindRelationship(string name) =>
        Relationships.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && FieldName(r.IdField) is not null);

    /// <summary>Takes field-level read access away from the integration user, as an admin's profile change would.</summary>
    public void Hide(string fieldName) => _hidden.Add(fieldName);
}
