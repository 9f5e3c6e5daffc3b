namespace Connector.Mapping.Profile;

/// <summary>One Salesforce object read for billing: its name, an optional SOQL filter, and billing input → field path.</summary>
public sealed class SourceMapping
{
    public string Object { get; set; } = "";

    /// <summary>A SOQL condition, e.g. <c>Status = 'Activated'</c>; ANDed with the incremental watermark.</summary>
    public string? Where { get; set; }

    public Dictionary<string, string> Fields { get; set; } = [];
}
