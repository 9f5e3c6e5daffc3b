namespace Connector.Mapping.Profile;

/// <summary>
/// An admin's mapping file (YAML, <c>version: 1</c>): which Salesforce fields feed billing, how picklist values
/// translate, and where billing facts are written back. Loaded and validated by <see cref="MappingProfileLoader"/>.
/// </summary>
public sealed class MappingProfile
{
    public int Version { get; set; }

    public string Name { get; set; } = "";

    public Dictionary<string, SourceMapping> Sources { get; set; } = [];

    public ProfileDefaults Defaults { get; set; } = new();

    public Dictionary<string, Dictionary<string, string>> ValueMaps { get; set; } = [];

    public TaxRateTable TaxRates { get; set; } = new();

    public WriteBackMapping WriteBack { get; set; } = new();

    /// <summary>Where the profile came from (a path, or "shipped default"); for messages.</summary>
    public string Origin { get; set; } = "";

    public SourceMapping Order => Sources[SourceNames.Order];

    public SourceMapping OrderItem => Sources[SourceNames.OrderItem];
}
