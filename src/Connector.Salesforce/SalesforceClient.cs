using System.Globalization;
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
public sealed partial class SalesforceClient(HttpClient http, TokenCache tokens, IOptions<SalesforceOptions> options, TimeProvider timeProvider, DescribeCache describeCache, Limits.ApiUsage usage, Limits.ApiBudget budget)
{
    /// <summary>Most records one sObject Collections call takes.</summary>
    public const int CollectionLimit = 200;


    private string DataPath => $"/services/data/v{options.Value.ApiVersion}";

    /// <summary>
    /// Runs a SOQL query and yields each batch of records, following <c>nextRecordsUrl</c> until <c>done</c>. With
    /// <paramref name="includeDeleted"/> it is a queryAll: records in the Recycle Bin come too, with IsDeleted true.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<JsonObject>> QueryPagesAsync(string soql, [EnumeratorCancellation] CancellationToken cancellationToken, bool includeDeleted = false)
    {
        string? path = $"{DataPath}/{(includeDeleted ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}";
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
    /// getDeleted: the records of an object deleted between <paramref name="start"/> and <paramref name="end"/>, hard
    /// deletes included (the org keeps 15 days of them; an earlier start is refused with INVALID_REPLICATION_DATE).
    /// </summary>
    public async Task<DeletedRecords> GetDeletedAsync(string sObject, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        static string Instant(DateTimeOffset at) => Uri.EscapeDataString(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));
        var body = await SendForJsonAsync(HttpMethod.Get, $"{DataPath}/sobjects/{Soql.Name(sObject)}/deleted/?start={Instant(start)}&end={Instant(end)}", null, idempotent: true, cancellationToken);
        if (body?["deletedRecords"] is not JsonArray records || body["latestDateCovered"]?.GetValue<string>() is not { } covered)
        {
            throw Malformed("a getDeleted response without deletedRecords and latestDateCovered");
        }

        return Read("a getDeleted response", () => new DeletedRecords(
            [.. records.OfType<JsonObject>().Select(r => new DeletedRecord(
                r["id"]?.GetValue<string>() ?? throw Malformed("a deleted record without id"),
                SalesforceDates.ParseDateTime(r["deletedDate"]?.GetValue<string>() ?? throw Malformed("a deleted record without deletedDate"))))],
            body["earliestDateAvailable"]?.GetValue<string>() is { } earliest ? SalesforceDates.ParseDateTime(earliest) : null,
            SalesforceDates.ParseDateTime(covered)));
    }

    /// <summary>How many records a query matches (<c>SELECT COUNT() FROM …</c>): one call, no records.</summary>
    public async Task<long> CountAsync(string countSoql, CancellationToken cancellationToken)
    {
        var body = await SendForJsonAsync(HttpMethod.Get, $"{DataPath}/query?q={Uri.EscapeDataString(countSoql)}", null, idempotent: true, cancellationToken);
        return body?["totalSize"]?.GetValueKind() == JsonValueKind.Number ? body["totalSize"]!.GetValue<long>() : throw Malformed("a COUNT() response without totalSize");
    }

    /// <summary>
    /// Runs a query as a Bulk API 2.0 query job, for backfills: create the job, wait until the org completes it, then
    /// read the CSV results page by page (<c>Sforce-Locator</c>), each row as a record whose dotted columns
    /// (<c>Product2.Name</c>) are nested like the REST query's. A few calls for any number of records.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<JsonObject>> BulkQueryPagesAsync(string soql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var created = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/jobs/query",
            () => new StringContent(new JsonObject { ["operation"] = "query", ["query"] = soql }.ToJsonString(), Encoding.UTF8, "application/json"),
            idempotent: false, cancellationToken);
        var jobId = created?["id"]?.GetValue<string>() ?? throw Malformed("a query job without id");
        var deadline = timeProvider.GetUtcNow() + options.Value.BulkJobTimeout;
        while (true)
        {
            var job = await SendForJsonAsync(HttpMethod.Get, $"{DataPath}/jobs/query/{Uri.EscapeDataString(jobId)}", null, idempotent: true, cancellationToken);
            var state = job?["state"]?.GetValue<string>() ?? throw Malformed("a query job without state");
            if (state == "JobComplete")
            {
                break;
            }

            if (state is "Failed" or "Aborted")
            {
                throw new SalesforceApiException(HttpStatusCode.OK, "BULK_QUERY_" + state.ToUpperInvariant(), $"Bulk query job {jobId} ended {state}: {job?["errorMessage"]?.GetValue<string>() ?? "no message"}");
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                throw new SalesforceApiException(HttpStatusCode.OK, "BULK_QUERY_TIMEOUT", $"Bulk query job {jobId} was still {state} after {options.Value.BulkJobTimeout}; it is asked for again next cycle.");
            }

            await Task.Delay(options.Value.BulkPollInterval, timeProvider, cancellationToken);
        }

        string? locator = null;
        do
        {
            var path = $"{DataPath}/jobs/query/{Uri.EscapeDataString(jobId)}/results?maxRecords={options.Value.BulkPageSize.ToString(CultureInfo.InvariantCulture)}"
                + (locator is null ? "" : "&locator=" + Uri.EscapeDataString(locator));
            var (_, csv, headers) = await SendTextAsync(HttpMethod.Get, path, null, idempotent: true, "text/csv", cancellationToken);
            yield return Api.BulkCsv.Records(csv);
            locator = headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
        }
        while (locator is { Length: > 0 } and not "null");
    }

    /// <summary>Upserts by external id (see <see cref="SaveAsync"/>); results in input order.</summary>
    public async Task<IReadOnlyList<SaveResult>> UpsertAsync(string sObject, string externalIdField, IReadOnlyList<JsonObject> records, CancellationToken cancellationToken) =>
        (await SaveAsync([new SaveRequest(sObject, externalIdField, records)], cancellationToken))[0];

    /// <summary>Updates records by Id, each carrying <c>attributes.type</c> (see <see cref="SaveAsync"/>); results in input order.</summary>
    public async Task<IReadOnlyList<SaveResult>> UpdateAsync(IReadOnlyList<JsonObject> records, CancellationToken cancellationToken)
    {
        var types = records.Select(r => r["attributes"]?["type"]?.GetValue<string>() ?? throw new ArgumentException("Each record to update needs attributes.type.", nameof(records)))
            .Distinct(StringComparer.Ordinal).ToList();
        var requests = types.Select(type => new SaveRequest(type, null, [.. records.Where(r => r["attributes"]!["type"]!.GetValue<string>() == type)])).ToList();
        var saved = await SaveAsync(requests, cancellationToken);
        var byType = types.Select((type, i) => (type, Results: new Queue<SaveResult>(saved[i]))).ToDictionary(t => t.type, t => t.Results, StringComparer.Ordinal);
        return [.. records.Select(r => byType[r["attributes"]!["type"]!.GetValue<string>()].Dequeue())];
    }

    /// <summary>
    /// Writes several objects' records in as few calls as the org allows, with allOrNone false: a record that fails does
    /// not stop the others, and each result comes back in its request's input order.
    /// <list type="bullet">
    /// <item>Up to <see cref="SalesforceOptions.BulkWriteThreshold"/> records of an object go as sObject Collections chunks
    /// of <see cref="CollectionLimit"/>; up to <see cref="SalesforceOptions.CollectionsPerCompositeCall"/> chunks (of any
    /// objects) travel in one Composite call, which counts once, in request order, so an invoice record is written before
    /// the order that points at it.</item>
    /// <item>More records of an object go through one Bulk API 2.0 ingest job: a constant number of calls for any
    /// count. Records the job failed or left unprocessed come back as failed results (retryable when the org says so,
    /// and always for unprocessed ones), for the caller to queue again.</item>
    /// </list>
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<SaveResult>>> SaveAsync(IReadOnlyList<SaveRequest> requests, CancellationToken cancellationToken)
    {
        var results = requests.Select(r => new SaveResult[r.Records.Count]).ToArray();
        var chunks = new List<(int Request, int Offset, SaveRequest Part)>();
        var threshold = options.Value.BulkWriteThreshold;
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (threshold > 0 && request.Records.Count > threshold)
            {
                (await BulkSaveAsync(request, cancellationToken)).CopyTo(results[i], 0);
                continue;
            }

            for (var offset = 0; offset < request.Records.Count; offset += CollectionLimit)
            {
                chunks.Add((i, offset, request with { Records = [.. request.Records.Skip(offset).Take(CollectionLimit)] }));
            }
        }

        foreach (var call in chunks.Chunk(options.Value.CollectionsPerCompositeCall))
        {
            var answers = call.Length == 1
                ? [await CollectionsAsync(call[0].Part, cancellationToken)]
                : await CompositeCollectionsAsync([.. call.Select(c => c.Part)], cancellationToken);
            for (var c = 0; c < call.Length; c++)
            {
                answers[c].CopyTo(results[call[c].Request], call[c].Offset);
            }
        }

        return results;
    }

    /// <summary>Uploads one ContentVersion as multipart (for files too large for a Composite call) and returns its Id.</summary>
    public async Task<string> UploadFileAsync(FileUpload upload, CancellationToken cancellationToken)
    {
        var entity = upload.Entity();
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

    /// <summary>
    /// Uploads files as ContentVersions through the Composite resource, up to 25 per call (one API call each) and
    /// allOrNone false: results come back in input order, a failed file does not stop the others. A timed-out call is
    /// not replayed (it may have created files); callers look files up by content key before trying again.
    /// </summary>
    public async Task<IReadOnlyList<SaveResult>> UploadFilesAsync(IReadOnlyList<FileUpload> uploads, CancellationToken cancellationToken)
    {
        var results = new SaveResult?[uploads.Count];
        var indexed = uploads.Select((upload, index) => (Upload: upload, Index: index)).ToList();

        // A file too large for a Composite call goes alone, as a multipart upload (no base64 inflation).
        foreach (var (upload, index) in indexed.Where(u => Base64Size(u.Upload) > options.Value.MaxCompositeBytes))
        {
            results[index] = new SaveResult(await UploadFileAsync(upload, cancellationToken), true, true, []);
        }

        foreach (var batch in CompositeBatches([.. indexed.Where(u => results[u.Index] is null)]))
        {
            var subrequests = new JsonArray();
            for (var i = 0; i < batch.Count; i++)
            {
                var upload = batch[i].Upload;
                subrequests.Add(new JsonObject
                {
                    ["method"] = "POST",
                    ["url"] = $"{DataPath}/sobjects/ContentVersion",
                    ["referenceId"] = "file" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["body"] = WithContent(upload),
                });
            }

            var body = new JsonObject { ["allOrNone"] = false, ["compositeRequest"] = subrequests };
            var response = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/composite", () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), idempotent: false, cancellationToken);
            if (response?["compositeResponse"] is not JsonArray answers || answers.Count != batch.Count)
            {
                throw Malformed($"a composite response that is not {batch.Count} subresponses");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                results[batch[i].Index] = CompositeResult(answers[i]);
            }
        }

        return [.. results.Select(r => r!)];
    }

    private static JsonObject WithContent(FileUpload upload)
    {
        var body = upload.Entity();
        body["VersionData"] = Convert.ToBase64String(upload.Content);
        return body;
    }

    private static long Base64Size(FileUpload upload) => (upload.Content.LongLength + 2) / 3 * 4;

    /// <summary>
    /// The files already uploaded under these content keys (asked before retrying uploads that may have landed, and for
    /// the document a new version belongs to).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UploadedFile>> FindUploadedFilesAsync(string contentKeyField, IReadOnlyList<string> contentKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        foreach (var chunk in contentKeys.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var field = Soql.Name(contentKeyField);
            var rows = await QueryAsync($"SELECT Id, ContentDocumentId, {field} FROM ContentVersion WHERE {field} IN ({string.Join(", ", chunk.Select(Soql.Literal))})", cancellationToken);
            foreach (var row in rows)
            {
                Read("a ContentVersion query", () =>
                {
                    if (row[field]?.GetValue<string>() is { } key && row["Id"]?.GetValue<string>() is { } id)
                    {
                        found[key] = new UploadedFile(id, row["ContentDocumentId"]?.GetValue<string>() ?? throw Malformed("a ContentVersion without ContentDocumentId"));
                    }

                    return 0;
                });
            }
        }

        return found;
    }

    /// <summary>
    /// The latest version of the file whose content key starts with each prefix (an invoice's files are keyed
    /// <c>{invoice}:{hash}</c>): the document a new rendering becomes a version of.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, UploadedFile>> FindLatestFilesAsync(string contentKeyField, IReadOnlyList<string> keyPrefixes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        var field = Soql.Name(contentKeyField);
        foreach (var chunk in keyPrefixes.Distinct(StringComparer.Ordinal).Chunk(50))
        {
            var rows = await QueryAsync($"SELECT Id, ContentDocumentId, {field} FROM ContentVersion WHERE IsLatest = true AND ({string.Join(" OR ", chunk.Select(p => $"{field} LIKE {Soql.StartsWith(p)}"))})", cancellationToken);
            foreach (var row in rows)
            {
                Read("a ContentVersion query", () =>
                {
                    var key = row[field]?.GetValue<string>() ?? "";
                    if (chunk.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal)) is { } prefix && row["Id"]?.GetValue<string>() is { } id)
                    {
                        found[prefix] = new UploadedFile(id, row["ContentDocumentId"]?.GetValue<string>() ?? throw Malformed("a ContentVersion without ContentDocumentId"));
                    }

                    return 0;
                });
            }
        }

        return found;
    }

    private IEnumerable<List<(FileUpload Upload, int Index)>> CompositeBatches(IReadOnlyList<(FileUpload Upload, int Index)> uploads)
    {
        var batch = new List<(FileUpload Upload, int Index)>();
        long bytes = 0;
        foreach (var upload in uploads)
        {
            var size = Base64Size(upload.Upload);
            if (batch.Count > 0 && (batch.Count == options.Value.FilesPerCompositeCall || bytes + size > options.Value.MaxCompositeBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(upload);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static SaveResult CompositeResult(JsonNode? node)
    {
        var status = node?["httpStatusCode"]?.GetValue<int>() ?? throw Malformed("a composite subresponse without httpStatusCode");
        var body = node["body"];
        if (status is >= 200 and < 300)
        {
            return ParseSaveResult(body);
        }

        var errors = body is JsonArray list
            ? list.OfType<JsonObject>().Select(e => new SalesforceError(e["errorCode"]?.GetValue<string>() ?? "HTTP_" + status, e["message"]?.GetValue<string>() ?? "", [])).ToList()
            : [new SalesforceError("HTTP_" + status, "the subrequest failed", [])];
        return new SaveResult(null, false, null, errors);
    }

    private string CollectionsPath(SaveRequest request) => request.ExternalIdField is { } externalId
        ? $"{DataPath}/composite/sobjects/{Soql.Name(request.SObject)}/{Soql.Name(externalId)}"
        : $"{DataPath}/composite/sobjects";

    private static JsonObject CollectionsBody(SaveRequest request) =>
        new() { ["allOrNone"] = false, ["records"] = new JsonArray([.. request.Records.Select(r => WithType(r, request.SObject))]) };

    /// <summary>One sObject Collections call (PATCH: upsert by external id, or update by Id) of at most 200 records.</summary>
    private async Task<SaveResult[]> CollectionsAsync(SaveRequest chunk, CancellationToken cancellationToken)
    {
        var body = CollectionsBody(chunk);
        var response = await SendForJsonAsync(HttpMethod.Patch, CollectionsPath(chunk), () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), idempotent: true, cancellationToken);
        return CollectionsResults(response, chunk.Records.Count);
    }

    /// <summary>
    /// Several collections calls as subrequests of one Composite call (one API call), in order (collateSubrequests
    /// false) and each standing alone (allOrNone false). Every subrequest is an upsert or an update, so the call is
    /// idempotent and safe to retry.
    /// </summary>
    private async Task<SaveResult[][]> CompositeCollectionsAsync(IReadOnlyList<SaveRequest> chunks, CancellationToken cancellationToken)
    {
        var subrequests = new JsonArray();
        for (var i = 0; i < chunks.Count; i++)
        {
            subrequests.Add(new JsonObject
            {
                ["method"] = "PATCH",
                ["url"] = CollectionsPath(chunks[i]),
                ["referenceId"] = "chunk" + i.ToString(CultureInfo.InvariantCulture),
                ["body"] = CollectionsBody(chunks[i]),
            });
        }

        var body = new JsonObject { ["allOrNone"] = false, ["collateSubrequests"] = false, ["compositeRequest"] = subrequests };
        var response = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/composite", () => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), idempotent: true, cancellationToken);
        if (response?["compositeResponse"] is not JsonArray answers || answers.Count != chunks.Count)
        {
            throw Malformed($"a composite response that is not {chunks.Count} subresponses");
        }

        var results = new SaveResult[chunks.Count][];
        for (var i = 0; i < chunks.Count; i++)
        {
            var status = answers[i]?["httpStatusCode"]?.GetValue<int>() ?? throw Malformed("a composite subresponse without httpStatusCode");
            results[i] = status is >= 200 and < 300
                ? CollectionsResults(answers[i]!["body"], chunks[i].Records.Count)
                : [.. Enumerable.Repeat(CompositeResult(answers[i]), chunks[i].Records.Count)]; // the whole subrequest was refused
        }

        return results;
    }

    private static SaveResult[] CollectionsResults(JsonNode? response, int count) =>
        response is JsonArray array && array.Count == count
            ? Read("a collections response", () => array.Select(ParseSaveResult).ToArray())
            : throw Malformed($"a collections response that is not an array of {count} results");

    /// <summary>Reads a response's values; a value of the wrong JSON type or format is the org's malformed answer, not a crash.</summary>
    private static T Read<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw Malformed($"{what} with a value of the wrong type or format ({ex.Message})");
        }
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
        var (status, text, _) = await SendTextAsync(method, path, content, idempotent, "application/json", cancellationToken, ifModifiedSince);
        if (status == HttpStatusCode.NotModified)
        {
            return null;
        }

        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Malformed($"a body that is not JSON (HTTP {(int)status})");
        }
    }

    /// <summary>One call: the cached token (renewed and replayed once on 401), errors turned into <see cref="SalesforceApiException"/>.</summary>
    private async Task<(HttpStatusCode Status, string Text, System.Net.Http.Headers.HttpResponseHeaders Headers)> SendTextAsync(
        HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, string accept, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(token.InstanceUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
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
                return (response.StatusCode, "", response.Headers);
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

            return (response.StatusCode, text, response.Headers);
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
