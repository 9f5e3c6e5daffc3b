namespace Connector.Mapping;

/// <summary>Which mapping file to use. Bound from <c>Connector:Mapping</c>.</summary>
internal sealed class MappingOptions
{
    public const string SectionName = "Connector:Mapping";

    /// <summary>Path of the admin's YAML mapping file; empty (default) uses the shipped CPQ profile.</summary>
    public string? Path { get; set; }
}
