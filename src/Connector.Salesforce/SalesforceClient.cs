using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;
using Connector.Salesforce.Auth;
using Connector.Salesforce.Http;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce;

/// <summary>
/// Our typed layer over the org's REST API: SOQL with queryMore, sObject Collections upsert and update (200 records a
/// call, results in input order), and ContentVersion upload. Every call carries the cached token; a 401
/// INVALID_SESSION_ID drops it, fetches a new one and replays the call once. Transient failures are retried by the
/// resilience pipeline registered in <see cref="SalesforceServiceCollectionExtensions.AddSalesforce"/>.
/// </summary>
public sealed class SalesforceClient(HttpClient http, TokenCache tokens, IOptions<SalesforceOptions> options, TimeProvider timeProvider, DescribeCache describeCache, Limits.ApiUsage usage, Limits.ApiBudget budget)
{
    /// <summary>Most records one sObject Collections call takes.</summary>
    public const int CollectionLimit = 200;


    private string DataPath => $"/services/data/v{options.Value.ApiVersion}";

    /// <summary>Runs a SOQL query and yields each batch of records, following <c>nextRecordsUrl</c> until <c>done</c>.</summary>
    public async IAsyncEnumerable<IReadOnlyList<JsonObject>> QueryPagesAsync(string soql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? path = $"{DataPath}/query?q={Uri.EscapeDataString(soql)}";
        while (path is not null)
        {
            var page = await SendForJsonAsync(HttpMethod.Get, path, null, idempotent: true, cancellationToken);
            if (page is not JsonObject body || body["records"] is not JsonArray records || body["done"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Malformed("a query response without records and done");
            }

            yield return [.. records.OfType<JsonObject>()];
            path = body["done"]!.GetValue<bool>() ? null : body["nextRecordsUrl"]?.GetValue<string>() ?? throw Malformed("done=false without nextRecordsUrl");
        }
    }

    public async Task<IReadOnlyList<JsonObject>> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        var all = new List<JsonObject>();
        await foreach (var page in QueryPagesAsync(soql, cancellationToken))
        {
            all.AddRange(page);
        }

        return all;
    }

    /// <summary>
    /// Upserts by external id, <see cref="CollectionLimit"/> records a call with allOrNone false. Results come back in
    /// input order; a record that failed does not stop the others.
    /// </summary>
    public async Task<IReadOnlyList<SaveResult>> UpsertAsync(string sObject, string externalIdField, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        var path = $"{DataPath}/composite/sobjects/{Soql.Name(sObject)}/{Soql.Name(externalIdField)}";
        return await CollectionsAsync(HttpMethod.Patch, path, records.Select(r => WithType(r, sObject)).ToList(), cancellationToken);
    }

    /// <summary>Updates records by Id (each carries <c>attributes.type</c> and <c>Id</c>), in chunks, allOrNone false.</summary>
    public Task<IReadOnlyList<SaveResult>> UpdateAsync(IReadOnlyList<JsonObject> records, CancellationToken cancellationToken) =>
        CollectionsAsync(HttpMethod.Patch, $"{DataPath}/composite/sobjects", records, cancellationToken);

    /// <summary>Uploads a ContentVersion linked to its record and returns the new ContentVersion Id.</summary>
    public async Task<string> UploadFileAsync(FileUpload upload, CancellationToken cancellationToken)
    {
        var entity = new JsonObject
        {
            ["PathOnClient"] = upload.FileName,
            ["Title"] = upload.Title,
            ["FirstPublishLocationId"] = upload.LinkedRecordId,
            [upload.ContentKeyField] = upload.ContentKey,
        };
        var result = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/sobjects/ContentVersion", () =>
        {
            var multipart = new MultipartFormDataContent("connector-" + upload.ContentKey[..Math.Min(16, upload.ContentKey.Length)]);
            var json = new StringContent(entity.ToJsonString(), Encoding.UTF8, "application/json");
            multipart.Add(json, "entity_content");
            var file = new ByteArrayContent(upload.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(file, "VersionData", upload.FileName);
            return multipart;
        }, idempotent: false, cancellationToken);
        var saved = ParseSaveResult(result);
        return saved.Success && saved.Id is { } id ? id : throw new SalesforceApiException(HttpStatusCode.BadRequest, (saved.Errors.Count > 0 ? saved.Errors[0].StatusCode : null) ?? "UPLOAD_FAILED", saved.ToString());
    }

    /// <summary>The Id of a ContentVersion already uploaded with this content key, if any: asked before retrying an upload.</summary>
    public async Task<string?> FindUploadedFileAsync(FileUpload upload, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            $"SELECT Id FROM ContentVersion WHERE {Soql.Name(upload.ContentKeyField)} = {Soql.Literal(upload.ContentKey)} LIMIT 1",
            cancellationToken);
        return rows.Count == 0 ? null : rows[0]["Id"]?.GetValue<string>();
    }

    private async Task<IReadOnlyList<SaveResult>> CollectionsAsync(HttpMethod method, string path, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        var results = new List<SaveResult>(records.Count);
        foreach (var chunk in records.Chunk(CollectionLimit))
        {
            var body = new JsonObject { ["allOrNone"] = false, ["records"] = new JsonArray([.. chunk.Select(r => r.DeepClone())]) };
            var response = await SendForJsonAsync(method, path, () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), idempotent: true, cancellationToken);
            if (response is not JsonArray array || array.Count != chunk.Length)
            {
                throw Malformed($"a collections response that is not an array of {chunk.Length} results");
            }

            results.AddRange(array.Select(ParseSaveResult));
        }

        return results;
    }

    private static JsonObject WithType(JsonObject record, string sObject)
    {
        var copy = (JsonObject)record.DeepClone();
        copy["attributes"] = new JsonObject { ["type"] = sObject };
        return copy;
    }

    private static SaveResult ParseSaveResult(JsonNode? node)
    {
        if (node is not JsonObject item || item["success"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Malformed("a save result without success");
        }

        var errors = item["errors"] is JsonArray list
            ? list.OfType<JsonObject>().Select(e => new SalesforceError(
                e["statusCode"]?.GetValue<string>() ?? "UNKNOWN",
                e["message"]?.GetValue<string>() ?? "",
                e["fields"] is JsonArray fields ? [.. fields.Select(f => f?.GetValue<string>() ?? "")] : [])).ToList()
            : [];
        bool? created = item["created"]?.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? item["created"]!.GetValue<bool>() : null;
        return new SaveResult(item["id"]?.GetValue<string>(), item["success"]!.GetValue<bool>(), created, errors);
    }

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

    private Task<JsonNode?> SendForJsonAsync(HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, idempotent, cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(token.InstanceUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Options.Set(RequestOptionKeys.Idempotent, idempotent);
            request.Content = content?.Invoke();
            if (ifModifiedSince is { } since)
            {
                request.Headers.IfModifiedSince = since;
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                tokens.Invalidate(token); // INVALID_SESSION_ID: the session expired or was revoked; fetch a new token, replay once
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotModified && ifModifiedSince is not null)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = ErrorFrom(response.StatusCode, text);
                if (error.ErrorCode == "REQUEST_LIMIT_EXCEEDED" && error.Message.Contains("TotalRequests", StringComparison.OrdinalIgnoreCase))
                {
                    budget.Trip(); // the daily allocation is spent: stop asking until the cool-down ends
                }

                throw error;
            }

            try
            {
                return text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                throw Malformed($"a body that is not JSON (HTTP {(int)response.StatusCode})");
            }
        }
    }

    private static SalesforceApiException ErrorFrom(HttpStatusCode status, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonArray { Count: > 0 } errors && errors[0] is JsonObject first)
            {
                return new SalesforceApiException(status, first["errorCode"]?.GetValue<string>() ?? "UNKNOWN", first["message"]?.GetValue<string>() ?? "");
            }
        }
        catch (JsonException)
        {
            // Not JSON: an HTML error page from a proxy, say. Reported below without the body.
        }

        return new SalesforceApiException(status, status == HttpStatusCode.ServiceUnavailable ? "SERVER_UNAVAILABLE" : "HTTP_" + (int)status,
            $"the org answered HTTP {(int)status} without the documented error body");
    }

    private static SalesforceApiException Malformed(string what) =>
        new(HttpStatusCode.OK, "MALFORMED_RESPONSE", $"The org sent {what}.");
}
