namespace Connector.Salesforce.Api;

/// <summary>One error of a record: Salesforce's status code, its message and the fields involved.</summary>
internal sealed record SalesforceError(string StatusCode, string Message, IReadOnlyList<string> Fields)
{
    public override string ToString() => Fields.Count == 0 ? $"{StatusCode}: {Message}" : $"{StatusCode}: {Message} ({string.Join(", ", Fields)})";
}
