using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce;

internal sealed partial class SalesforceClient
{
    /// <summary>The org's daily API allocation and usage, from the limits resource (one call); also refreshes <see cref="Limits.ApiUsage"/>.</summary>
    public async Task<Limits.LimitInfo> GetLimitsAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, $"{DataPath}/limits", null, idempotent: true, cancellationToken) as JsonObject
            ?? throw Malformed("a limits response that is not an object");
        var daily = body["DailyApiRequests"] as JsonObject ?? throw Malformed("a limits response without DailyApiRequests");
        var max = daily["Max"]?.GetValue<long>() ?? throw Malformed("DailyApiRequests without Max");
        var remaining = daily["Remaining"]?.GetValue<long>() ?? throw Malformed("DailyApiRequests without Remaining");
        var info = new Limits.LimitInfo(max - remaining, max);
        usage.Refresh(info);
        return info;
    }

    /// <summary>
    /// Describes an object, or returns null when it does not exist (or is invisible to the integration user). Results
    /// are cached; a repeated describe sends <c>If-Modified-Since</c> and reuses the cache on 304.
    /// </summary>
    public async Task<SObjectDescribe?> DescribeAsync(string sObject, CancellationToken cancellationToken)
    {
        var path = $"{DataPath}/sobjects/{Soql.Name(sObject)}/describe";
        var hasCached = describeCache.Entries.TryGetValue(sObject, out var cached);
        JsonNode? body;
        try
        {
            body = await SendAsync(HttpMethod.Get, path, null, idempotent: true, cancellationToken, hasCached ? cached.FetchedAt : null);
        }
        catch (SalesforceApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NOT_FOUND" or "INVALID_TYPE")
        {
            return null;
        }

        if (body is null && hasCached)
        {
            return cached.Describe; // 304 Not Modified
        }

        var describe = ParseDescribe(body as JsonObject ?? throw Malformed("a describe response that is not an object"));
        describeCache.Entries[sObject] = (describe, timeProvider.GetUtcNow());
        return describe;
    }

    private static SObjectDescribe ParseDescribe(JsonObject body)
    {
        static IReadOnlyList<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(v => v?.GetValue<string>() ?? "")] : [];
        static bool Flag(JsonObject field, string name) => field[name]?.GetValueKind() == JsonValueKind.True;

        var fields = body["fields"] as JsonArray ?? throw Malformed("a describe response without fields");
        return new SObjectDescribe(
            body["name"]?.GetValue<string>() ?? throw Malformed("a describe response without name"),
            [
                .. fields.OfType<JsonObject>().Select(f => new FieldDescribe(
                    f["name"]?.GetValue<string>() ?? throw Malformed("a describe field without name"),
                    f["type"]?.GetValue<string>() ?? "string",
                    Flag(f, "createable"),
                    Flag(f, "updateable"),
                    Flag(f, "externalId"),
                    Flag(f, "idLookup"),
                    Flag(f, "restrictedPicklist"),
                    f["picklistValues"] is JsonArray values
                        ? [.. values.OfType<JsonObject>().Where(v => v["active"]?.GetValueKind() != JsonValueKind.False).Select(v => v["value"]?.GetValue<string>() ?? "")]
                        : [],
                    Strings(f["referenceTo"]),
                    f["relationshipName"]?.GetValueKind() == JsonValueKind.String ? f["relationshipName"]!.GetValue<string>() : null)),
            ]);
    }
}
