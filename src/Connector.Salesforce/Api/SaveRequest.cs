using System.Text.Json.Nodes;

namespace Connector.Salesforce.Api;

/// <summary>
/// Flat records of one object to write: upserted by <see cref="ExternalIdField"/>, or, when it is null, updated by the
/// <c>Id</c> each record carries. Writes are never plain inserts, so a call that may have landed is safe to send again.
/// </summary>
internal sealed record SaveRequest(string SObject, string? ExternalIdField, IReadOnlyList<JsonObject> Records)
{
    /// <summary>The column that names each record: the external id field, or Id.</summary>
    internal string KeyField => ExternalIdField ?? "Id";
}
