namespace Connector.Mapping.Profile;

/// <summary>One object written back. Upserted by <see cref="ExternalIdField"/> when set, otherwise updated by record Id.</summary>
public sealed class WriteBackTarget
{
    public string Object { get; set; } = "";

    public string? ExternalIdField { get; set; }

    /// <summary>Salesforce field → billing fact (e.g. <c>Name: number</c>).</summary>
    public Dictionary<string, string> Fields { get; set; } = [];
}
