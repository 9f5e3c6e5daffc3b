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
        var body = await SendForAsync(HttpMethod.Get, $"{DataPath}/limits", SalesforceJsonContext.Default.LimitsResponse, "a limits response", cancellationToken);
        var daily = body?.DailyApiRequests ?? throw Malformed("a limits response without DailyApiRequests");
        var max = daily.Max ?? throw Malformed("DailyApiRequests without Max");
        var remaining = daily.Remaining ?? throw Malformed("DailyApiRequests without Remaining");
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
        DescribeResponse? body;
        try
        {
            body = await SendForAsync(HttpMethod.Get, path, SalesforceJsonContext.Default.DescribeResponse, "a describe response", hasCached ? cached.FetchedAt : null, cancellationToken);
        }
        catch (SalesforceApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode is "NOT_FOUND" or "INVALID_TYPE")
        {
            return null;
        }

        if (body is null && hasCached)
        {
            return cached.Describe; // 304 Not Modified
        }

        var describe = ParseDescribe(body ?? throw Malformed("an empty describe response"));
        describeCache.Entries[sObject] = (describe, timeProvider.GetUtcNow());
        return describe;
    }

    private static SObjectDescribe ParseDescribe(DescribeResponse body) =>
        new(
            body.Name ?? throw Malformed("a describe response without name"),
            [
                .. (body.Fields ?? throw Malformed("a describe response without fields")).OfType<DescribeField>().Select(f => new FieldDescribe(
                    f.Name ?? throw Malformed("a describe field without name"),
                    f.Type ?? "string",
                    f.Createable,
                    f.Updateable,
                    f.ExternalId,
                    f.IdLookup,
                    f.RestrictedPicklist,
                    [.. (f.PicklistValues ?? []).OfType<PicklistEntry>().Where(v => v.Active != false).Select(v => v.Value ?? "")],
                    [.. (f.ReferenceTo ?? []).Select(r => r ?? "")],
                    f.RelationshipName)),
            ]);
}
