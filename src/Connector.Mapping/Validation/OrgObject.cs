namespace Connector.Mapping.Validation;

/// <summary>An object as the org describes it; field names compare case-insensitively, as in the API.</summary>
internal sealed class OrgObject(string name, IEnumerable<OrgField> fields)
{
    private readonly Dictionary<string, OrgField> _fields = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;

    public IEnumerable<OrgField> Fields => _fields.Values;

    public OrgField? Field(string name) => _fields.GetValueOrDefault(name);

    public OrgField? Relationship(string relationshipName) =>
        _fields.Values.FirstOrDefault(f => f.RelationshipName is not null && f.RelationshipName.Equals(relationshipName, StringComparison.OrdinalIgnoreCase));
}
