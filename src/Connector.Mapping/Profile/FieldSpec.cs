namespace Connector.Mapping.Profile;

/// <summary>
/// How one billing input is read: from the first non-empty of <see cref="Paths"/> (one path, or a coalesce list), else
/// <see cref="Default"/>; or always <see cref="Constant"/>. <see cref="Map"/> names the value map a picklist value goes
/// through; <see cref="Format"/> is the date pattern (e.g. <c>dd/MM/yyyy</c>) or number style (<c>invariant</c>,
/// <c>decimalComma</c>) of text values. <see cref="Required"/> sends a record without a value to quarantine.
/// </summary>
internal sealed record FieldSpec(
    string Input,
    IReadOnlyList<string> Paths,
    string? Constant,
    string? Default,
    string? Map,
    string? Format,
    bool Required,
    SourceLocation Location);
