using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;
using Connector.Sandbox.Http;
using Connector.Sandbox.Soql;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Connector.Sandbox;

/// <summary>
/// A fake Salesforce org that behaves like the real one for the calls the connector makes (see
/// shared/salesforce-facts.md): the OAuth token endpoint (JWT bearer verified against the app's key, client
/// credentials), SOQL query with queryMore pagination, sObject Collections upsert and update with per-record results,
/// ContentVersion multipart upload, and the Sforce-Limit-Info header. Thread-safe.
/// </summary>
public sealed partial class SandboxOrg
{
    /// <summary>The org's daily API allocation (Sforce-Limit-Info's max). Default 15,000.</summary>
    public long DailyApiAllocation { get; set; } = 15_000;

    private long UsedToday => _apiCalls + Faults.ApiCallsUsedElsewhere;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<List<JsonObject>>> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IReadOnlyList<string> Fields, List<JsonObject> Rows)> _queryJobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _collectionsRequests = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _issued = [];
    private readonly Dictionary<string, byte[]> _fileContents = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _apiCalls;
    private int _cursorSeed;
    private int _documentSeed;

    public SandboxOrg(SandboxCredentials credentials, TimeProvider timeProvider, SandboxSchema? schema = null)
    {
        Credentials = credentials;
        _timeProvider = timeProvider;
        Data = new SandboxData(schema ?? SandboxSchema.CpqWithoutBilling(), timeProvider);
    }

    public SandboxCredentials Credentials { get; }

    public SandboxData Data { get; }

    public SandboxFaults Faults { get; } = new();

    /// <summary>Records per query batch; Salesforce uses up to 2,000, tests use a few to exercise queryMore.</summary>
    public int QueryPageSize { get; set; } = 2000;

    /// <summary>The URL the server hosting this org listens on; the token response's instance_url.</summary>
    public Uri InstanceUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>The JWT audience the token endpoint accepts. Default: the instance URL without a trailing slash.</summary>
    public string? Audience { get; set; }

    /// <summary>Data API calls answered so far (what counts against the daily allocation).</summary>
    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    /// <summary>Objects whose getDeleted the org refuses (not replicateable).</summary>
    public HashSet<string> NotReplicable { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>sObject Collections requests received per object (direct or as Composite subrequests).</summary>
    public IReadOnlyDictionary<string, int> CollectionsRequests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_collectionsRequests, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    private void CountCollectionsRequest(string objectName) =>
        _collectionsRequests[objectName] = _collectionsRequests.GetValueOrDefault(objectName) + 1;

    /// <summary>Bulk API 2.0 query jobs created so far.</summary>
    public int QueryJobsCreated { get; private set; }

    /// <summary>Access tokens issued so far.</summary>
    public int TokensIssued => _issued.Count;

    /// <summary>Every access token issued (tests check they never leak into logs or output).</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate)
            {
                return [.. _issued];
            }
        }
    }

    /// <summary>The bytes of an uploaded ContentVersion.</summary>
    public byte[]? FileContent(string contentVersionId)
    {
        lock (_gate)
        {
            return _fileContents.GetValueOrDefault(contentVersionId);
        }
    }

    public SandboxResponse Handle(SandboxRequest request)
    {
        lock (_gate)
        {
            try
            {
                if (request.Method == "POST" && request.Path == "/services/oauth2/token")
                {
                    return Token(request);
                }

                if (!request.Path.StartsWith("/services/data/v", StringComparison.Ordinal))
                {
                    return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: {request.Path}");
                }

                return WithLimitInfo(DataApi(request));
            }
            catch (SoqlException ex)
            {
                return WithLimitInfo(SandboxResponse.Error(400, ex.ErrorCode, ex.Message));
            }
            catch (JsonException ex)
            {
                return WithLimitInfo(SandboxResponse.Error(400, "JSON_PARSER_ERROR", ex.Message));
            }
        }
    }

    private SandboxResponse DataApi(SandboxRequest request)
    {
        var authorization = request.Header("Authorization");
        if (Faults.TakeSessionExpiry())
        {
            _sessions.Clear();
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_sessions.Contains(authorization[7..]))
        {
            return SandboxResponse.Error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }

        if (UsedToday >= DailyApiAllocation)
        {
            return SandboxResponse.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }

        _apiCalls++;
        if (Faults.TakeUnavailable())
        {
            return SandboxResponse.Error(503, "SERVER_UNAVAILABLE", "Server is temporarily unavailable; try again.");
        }

        return Route(request);
    }

    /// <summary>The data API's resources (after authentication, limits and faults), also used by Composite's subrequests.</summary>
    private SandboxResponse Route(SandboxRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // services, data, vXX.X, ...
        var rest = segments.Skip(3).ToArray();
        return (request.Method, rest) switch
        {
            ("GET", ["query"]) => Query(request, includeDeleted: false),
            ("GET", ["query", var cursor]) => QueryMore(cursor),
            ("GET", ["queryAll"]) => Query(request, includeDeleted: true),
            ("GET", ["queryAll", var cursor]) => QueryMore(cursor),
            ("GET", ["sobjects", var sObject, "deleted"]) => GetDeleted(sObject, request),
            ("POST", ["jobs", "query"]) => CreateQueryJob(request),
            ("GET", ["jobs", "query", var job]) => QueryJob(job),
            ("GET", ["jobs", "query", var job, "results"]) => QueryJobResults(job, request),
            ("PATCH", ["composite", "sobjects", var sObject, var externalIdField]) => Upsert(sObject, externalIdField, request),
            ("PATCH", ["composite", "sobjects"]) => Update(request),
            ("POST", ["sobjects", "ContentVersion"]) => UploadFile(request),
            ("POST", ["composite"]) => Composite(request),
            ("POST", ["jobs", "ingest"]) => CreateIngestJob(request),
            ("PUT", ["jobs", "ingest", var job, "batches"]) => UploadIngestData(job, request),
            ("PATCH", ["jobs", "ingest", var job]) => CloseIngestJob(job, request),
            ("GET", ["jobs", "ingest", var job]) => IngestJobInfo(job),
            ("GET", ["jobs", "ingest", var job, var results]) => IngestResults(job, results),
            ("GET", ["sobjects", var sObject, "describe"]) => Describe(sObject, request),
            ("GET", ["limits"]) => SandboxResponse.Json(200, new JsonObject
            {
                ["DailyApiRequests"] = new JsonObject { ["Max"] = DailyApiAllocation, ["Remaining"] = Math.Max(0, DailyApiAllocation - UsedToday) },
            }),
            _ => SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: {request.Method} {request.Path}"),
        };
    }

    private SandboxResponse Query(SandboxRequest request, bool includeDeleted)
    {
        if (!request.Query.TryGetValue("q", out var soql))
        {
            return SandboxResponse.Error(400, "MALFORMED_QUERY", "query parameter q is missing");
        }

        var parsed = SoqlParser.Parse(soql);
        var rows = Data.Query(parsed, includeDeleted);
        if (parsed.IsCount)
        {
            return SandboxResponse.Json(200, new JsonObject { ["totalSize"] = rows.Count, ["done"] = true, ["records"] = new JsonArray() });
        }

        var cursor = string.Create(CultureInfo.InvariantCulture, $"01gSANDBOX{++_cursorSeed:00000}");
        var pages = new Queue<List<JsonObject>>(rows.Chunk(Math.Max(1, QueryPageSize)).Select(c => c.ToList()));
        return Page(cursor, pages, rows.Count);
    }

    /// <summary>
    /// getDeleted: the records of an object deleted between start and end (UTC). The org keeps this for 15 days: an
    /// earlier start is INVALID_REPLICATION_DATE.
    /// </summary>
    private SandboxResponse GetDeleted(string sObject, SandboxRequest request)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (!request.Query.TryGetValue("start", out var startText) || !request.Query.TryGetValue("end", out var endText)
            || !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            || !DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) || end < start)
        {
            return SandboxResponse.Error(400, "MALFORMED_QUERY", "getDeleted needs start and end date-times, start before end");
        }

        if (NotReplicable.Contains(obj.Name))
        {
            return SandboxResponse.Error(400, "INVALID_TYPE", $"sObject type '{obj.Name}' is not replicateable");
        }

        var now = _timeProvider.GetUtcNow();
        var earliest = now.AddDays(-15);
        if (start < earliest)
        {
            return SandboxResponse.Error(400, "INVALID_REPLICATION_DATE", "startDate cannot be more than 15 days ago");
        }

        var covered = end > now ? now : end;
        return SandboxResponse.Json(200, new JsonObject
        {
            ["deletedRecords"] = new JsonArray([.. Data.DeletedBetween(obj.Name, start, covered).Select(d => (JsonNode)new JsonObject
            {
                ["id"] = d.Id,
                ["deletedDate"] = d.DeletedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            })]),
            ["earliestDateAvailable"] = earliest.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            ["latestDateCovered"] = covered.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Bulk API 2.0: the job runs at once (the state the client polls is JobComplete); results wait as CSV.</summary>
    private SandboxResponse CreateQueryJob(SandboxRequest request)
    {
        var body = JsonNode.Parse(request.Body) as JsonObject;
        if (body?["operation"]?.GetValue<string>() is not ("query" or "queryAll") || body["query"]?.GetValue<string>() is not { } soql)
        {
            return SandboxResponse.Error(400, "INVALIDJOB", "A query job needs operation query and a query.");
        }

        var parsed = SoqlParser.Parse(soql);
        var rows = Data.Query(parsed, includeDeleted: body["operation"]!.GetValue<string>() == "queryAll");
        var id = string.Create(CultureInfo.InvariantCulture, $"750SANDBOX{++_cursorSeed:00000}");
        _queryJobs[id] = (parsed.Fields, rows);
        QueryJobsCreated++;
        return SandboxResponse.Json(200, new JsonObject { ["id"] = id, ["operation"] = "query", ["state"] = "UploadComplete" });
    }

    private SandboxResponse QueryJob(string id) =>
        _queryJobs.TryGetValue(id, out var job)
            ? SandboxResponse.Json(200, new JsonObject { ["id"] = id, ["state"] = "JobComplete", ["numberRecordsProcessed"] = job.Rows.Count })
            : SandboxResponse.Error(404, "NOT_FOUND", $"No query job {id}.");

    private SandboxResponse QueryJobResults(string id, SandboxRequest request)
    {
        if (!_queryJobs.TryGetValue(id, out var job))
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"No query job {id}.");
        }

        var size = request.Query.TryGetValue("maxRecords", out var max) ? int.Parse(max, CultureInfo.InvariantCulture) : 50_000;
        var start = request.Query.TryGetValue("locator", out var locator) ? int.Parse(locator, CultureInfo.InvariantCulture) : 0;
        var page = job.Rows.Skip(start).Take(size).ToList();
        var csv = new System.Text.StringBuilder();
        csv.Append(string.Join(",", job.Fields.Select(SandboxCsv.Cell))).Append('\n');
        foreach (var row in page)
        {
            csv.Append(string.Join(",", job.Fields.Select(f => SandboxCsv.Cell(Path(row, f))))).Append('\n');
        }

        var next = start + page.Count;
        return new SandboxResponse(200, csv.ToString(), new Dictionary<string, string>
        {
            ["Content-Type"] = "text/csv",
            ["Sforce-Locator"] = next < job.Rows.Count ? next.ToString(CultureInfo.InvariantCulture) : "null",
            ["Sforce-NumberOfRecords"] = page.Count.ToString(CultureInfo.InvariantCulture),
        });

        static string Path(JsonObject row, string field)
        {
            JsonNode? node = row;
            foreach (var part in field.Split('.'))
            {
                node = node is JsonObject o ? o.FirstOrDefault(p => p.Key.Equals(part, StringComparison.OrdinalIgnoreCase)).Value : null;
            }

            return node is JsonValue value ? (value.TryGetValue<string>(out var text) ? text : value.ToJsonString()) : "";
        }
    }

    private SandboxResponse QueryMore(string locator)
    {
        var cursor = locator.Split('-')[0];
        return _cursors.TryGetValue(cursor, out var pages)
            ? Page(cursor, pages, null)
            : SandboxResponse.Error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    private SandboxResponse Page(string cursor, Queue<List<JsonObject>> pages, int? totalSize)
    {
        var page = pages.Count > 0 ? pages.Dequeue() : [];
        var done = pages.Count == 0;
        var body = new JsonObject
        {
            ["totalSize"] = totalSize ?? page.Count,
            ["done"] = done,
            ["records"] = new JsonArray([.. page]),
        };
        if (done)
        {
            _cursors.Remove(cursor);
        }
        else
        {
            _cursors[cursor] = pages;
            body["nextRecordsUrl"] = string.Create(CultureInfo.InvariantCulture, $"/services/data/v62.0/query/{cursor}-{pages.Count}");
        }

        return SandboxResponse.Json(200, body);
    }

    private SandboxResponse Upsert(string sObject, string externalIdField, SandboxRequest request)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (obj.FieldName(externalIdField) is not { } keyField)
        {
            return SandboxResponse.Error(400, "INVALID_FIELD", $"No such column '{externalIdField}' on entity '{obj.Name}'");
        }

        if (!TryRecords(request, out var records, out var problem))
        {
            return problem!;
        }

        CountCollectionsRequest(obj.Name);
        return SandboxResponse.Json(200, new JsonArray([.. records.Select(r => (JsonNode)UpsertOne(obj, keyField, WithoutAttributes(r)))]));
    }

    /// <summary>One record of an upsert by external id: created when no record has the key, else updated.</summary>
    private JsonObject UpsertOne(ObjectSchema obj, string keyField, JsonObject fields)
    {
        if (fields.ContainsKey("Id"))
        {
            return Failure("INVALID_FIELD", "Id is not allowed in an upsert by external id", "Id");
        }

        if (fields[keyField]?.GetValue<string>() is not { Length: > 0 } key)
        {
            return Failure("MISSING_ARGUMENT", $"{keyField} not specified", keyField);
        }

        if (FieldProblem(obj, fields) is { } refusal)
        {
            return refusal;
        }

        if (Faults.TakeLock(key))
        {
            return Failure("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records");
        }

        var existing = Data.FindBy(obj.Name, keyField, key);
        if (existing is null)
        {
            return Success(Data.Insert(obj.Name, fields), created: true);
        }

        var id = existing["Id"]!.GetValue<string>();
        Data.Update(obj.Name, id, fields);
        return Success(id, created: false);
    }

    private SandboxResponse Update(SandboxRequest request)
    {
        if (!TryRecords(request, out var records, out var problem))
        {
            return problem!;
        }

        foreach (var type in records.Select(r => r["attributes"]?["type"]?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            CountCollectionsRequest(type);
        }

        var results = new JsonArray();
        foreach (var record in records)
        {
            var type = record["attributes"]?["type"]?.GetValue<string>();
            var obj = type is null ? null : Data.Schema.Find(type);
            results.Add(obj is null || record["Id"] is null
                ? Failure("INVALID_TYPE", "each record needs attributes.type and Id")
                : UpdateOne(obj, WithoutAttributes(record)));
        }

        return SandboxResponse.Json(200, results);
    }

    /// <summary>One record of an update by Id.</summary>
    private JsonObject UpdateOne(ObjectSchema obj, JsonObject fields)
    {
        var id = fields["Id"]?.GetValue<string>() ?? "";
        fields.Remove("Id");
        if (FieldProblem(obj, fields) is { } refusal)
        {
            return refusal;
        }

        if (Data.Find(obj.Name, id) is null)
        {
            return Failure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "Id");
        }

        if (Faults.TakeLock(id))
        {
            return Failure("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records");
        }

        Data.Update(obj.Name, id, fields);
        return Success(id, created: null);
    }

    private SandboxResponse Describe(string sObject, SandboxRequest request)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (request.Header("If-Modified-Since") is { } since
            && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceAt)
            && sinceAt >= Data.Schema.ModifiedAt)
        {
            return new SandboxResponse(304, "", new Dictionary<string, string>());
        }

        var fields = new JsonArray();
        foreach (var field in obj.Fields)
        {
            var system = field.Name is "Id" or "SystemModstamp" or "CreatedDate" or "LastModifiedDate" or "IsDeleted";
            fields.Add(new JsonObject
            {
                ["name"] = field.Name,
                ["type"] = field.Type,
                ["createable"] = !field.ReadOnly,
                ["updateable"] = !field.ReadOnly,
                ["nillable"] = !system,
                ["externalId"] = field.ExternalId,
                ["idLookup"] = field.ExternalId || field.Name == "Id",
                ["restrictedPicklist"] = field.RestrictedPicklist,
                ["picklistValues"] = new JsonArray([.. field.PicklistValues.Select(v => (JsonNode)new JsonObject { ["value"] = v, ["label"] = v, ["active"] = true, ["defaultValue"] = false })]),
                ["referenceTo"] = new JsonArray([.. (field.ReferenceTo is null ? [] : new[] { field.ReferenceTo }).Select(r => (JsonNode)r)]),
                ["relationshipName"] = field.RelationshipName,
            });
        }

        return SandboxResponse.Json(200, new JsonObject
        {
            ["name"] = obj.Name,
            ["fields"] = fields,
            ["childRelationships"] = new JsonArray(),
            ["recordTypeInfos"] = new JsonArray(),
        }, new Dictionary<string, string> { ["Last-Modified"] = Data.Schema.ModifiedAt.ToString("R", CultureInfo.InvariantCulture) });
    }

    /// <summary>A ContentVersion insert: multipart (entity_content + VersionData), or JSON with base64 VersionData.</summary>
    private SandboxResponse UploadFile(SandboxRequest request)
    {
        JsonObject entity;
        byte[] content;
        if ((request.Header("Content-Type") ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            entity = JsonNode.Parse(request.Body)?.AsObject() ?? throw new JsonException("the body is empty");
            if (entity["VersionData"]?.GetValue<string>() is not { } base64)
            {
                return SandboxResponse.Error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [VersionData]");
            }

            content = Convert.FromBase64String(base64);
            entity.Remove("VersionData");
        }
        else
        {
            var parts = Multipart.Parse(request.Body, request.Header("Content-Type") ?? "");
            if (!parts.TryGetValue("entity_content", out var entityBytes) || !parts.TryGetValue("VersionData", out var data))
            {
                return SandboxResponse.Error(400, "INVALID_MULTIPART_REQUEST", "entity_content and VersionData parts are required");
            }

            entity = JsonNode.Parse(entityBytes)?.AsObject() ?? throw new JsonException("entity_content is empty");
            content = data;
        }

        var obj = Data.Schema.Find("ContentVersion")!;
        if (UnknownField(obj, entity) is { } unknown)
        {
            return SandboxResponse.Error(400, "INVALID_FIELD", $"No such column '{unknown}' on sobject of type ContentVersion");
        }

        if (entity["FirstPublishLocationId"]?.GetValue<string>() is { } linked && !Data.Schema.Objects.Any(o => Data.Find(o.Name, linked) is not null))
        {
            return SandboxResponse.Error(400, "INVALID_CROSS_REFERENCE_KEY", "FirstPublishLocationId: invalid cross reference id");
        }

        // A new version names its ContentDocument (and no FirstPublishLocationId: the file keeps its links); the older
        // versions stay, no longer the latest. Otherwise the upload starts a new document linked to the record.
        var versions = new List<JsonObject>();
        if (entity["ContentDocumentId"]?.GetValue<string>() is { } documentId)
        {
            if (entity.ContainsKey("FirstPublishLocationId"))
            {
                return SandboxResponse.Error(400, "FIELD_INTEGRITY_EXCEPTION", "FirstPublishLocationId cannot be set on a new version of an existing document");
            }

            versions = [.. Data.All("ContentVersion").Where(v => v["ContentDocumentId"]?.GetValue<string>() == documentId)];
            if (versions.Count == 0)
            {
                return SandboxResponse.Error(400, "INVALID_CROSS_REFERENCE_KEY", "ContentDocumentId: invalid cross reference id");
            }
        }

        var fields = (JsonObject)entity.DeepClone();
        fields["ContentSize"] = content.Length;
        fields["ContentDocumentId"] = entity["ContentDocumentId"]?.GetValue<string>() ?? string.Create(CultureInfo.InvariantCulture, $"069SANDBOX{++_documentSeed:00000}");
        fields["FirstPublishLocationId"] = entity["FirstPublishLocationId"]?.DeepClone() ?? versions.FirstOrDefault()?["FirstPublishLocationId"]?.DeepClone();
        fields["IsLatest"] = true;
        fields["VersionNumber"] = (versions.Count + 1).ToString(CultureInfo.InvariantCulture);
        foreach (var older in versions)
        {
            Data.Find("ContentVersion", older["Id"]!.GetValue<string>())!["IsLatest"] = false;
        }

        var id = Data.Insert("ContentVersion", fields);
        _fileContents[id] = content;
        return SandboxResponse.Json(201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    /// <summary>
    /// The Composite resource: up to 25 subrequests in one call (one API call), of which at most 5 are queries or
    /// sObject Collections; each is answered in order with its own status and body; allOrNone false lets each succeed or
    /// fail alone. Subrequests reach the same resources as direct calls (ContentVersion inserts, collections, queries).
    /// </summary>
    private SandboxResponse Composite(SandboxRequest request)
    {
        var body = JsonNode.Parse(request.Body)?.AsObject();
        if (body?["compositeRequest"] is not JsonArray subrequests || subrequests.Count is 0 or > 25)
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "compositeRequest must hold 1 to 25 subrequests");
        }

        if (subrequests.Count(s => s?["url"]?.GetValue<string>() is { } url && (url.Contains("/composite/sobjects", StringComparison.Ordinal) || url.Contains("/query", StringComparison.Ordinal))) > 5)
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "a composite request may hold at most 5 query or sObject Collections subrequests");
        }

        if (subrequests.Any(s => s?["url"]?.GetValue<string>() is { } url && url.Contains("/composite", StringComparison.Ordinal) && !url.Contains("/composite/sobjects", StringComparison.Ordinal)))
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "a composite request cannot nest composite resources");
        }

        var responses = new JsonArray();
        foreach (var sub in subrequests.OfType<JsonObject>())
        {
            var url = sub["url"]?.GetValue<string>() ?? "";
            var query = url.Split('?', 2);
            var inner = new SandboxRequest(
                sub["method"]?.GetValue<string>() ?? "GET",
                query[0],
                query.Length > 1 ? SandboxRequest.ParseQuery(query[1]) : new Dictionary<string, string>(),
                new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Authorization"] = request.Header("Authorization") ?? "" },
                Encoding.UTF8.GetBytes(sub["body"]?.ToJsonString() ?? ""));
            SandboxResponse answer;
            try
            {
                answer = inner.Path.StartsWith("/services/data/v", StringComparison.Ordinal) ? Route(inner) : SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: {url}");
            }
            catch (SoqlException ex)
            {
                answer = SandboxResponse.Error(400, ex.ErrorCode, ex.Message);
            }

            responses.Add(new JsonObject
            {
                ["body"] = answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body),
                ["httpHeaders"] = new JsonObject(),
                ["httpStatusCode"] = answer.StatusCode,
                ["referenceId"] = sub["referenceId"]?.GetValue<string>(),
            });
        }

        return SandboxResponse.Json(200, new JsonObject { ["compositeResponse"] = responses });
    }

    private SandboxResponse Token(SandboxRequest request)
    {
        var form = Encoding.UTF8.GetString(request.Body).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);
        var grant = form.GetValueOrDefault("grant_type");
        string? problem = grant switch
        {
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => VerifyAssertion(form.GetValueOrDefault("assertion")),
            "client_credentials" => form.GetValueOrDefault("client_id") == Credentials.ClientId && form.GetValueOrDefault("client_secret") == Credentials.ClientSecret
                ? null
                : "invalid client credentials",
            _ => "unsupported grant type",
        };
        if (problem is not null)
        {
            return SandboxResponse.Json(400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = problem });
        }

        var token = "00DSANDBOX!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _sessions.Add(token);
        _issued.Add(token);
        return SandboxResponse.Json(200, new JsonObject
        {
            ["access_token"] = token,
            ["scope"] = "api",
            ["instance_url"] = InstanceUrl.ToString().TrimEnd('/'),
            ["id"] = new Uri(InstanceUrl, "/id/00DSANDBOX/005SANDBOX").ToString(),
            ["token_type"] = "Bearer",
        });
    }

    private string? VerifyAssertion(string? assertion)
    {
        if (string.IsNullOrEmpty(assertion))
        {
            return "invalid assertion";
        }

        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(Credentials.Key.ExportParameters(false)),
            ValidateIssuerSigningKey = true,
            ValidIssuer = Credentials.ClientId,
            ValidAudience = Audience ?? InstanceUrl.ToString().TrimEnd('/'),
            ValidateLifetime = false, // checked below against the org's own clock
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        }).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidAudienceException => "Audience is invalid",
                SecurityTokenInvalidIssuerException => "invalid client identifier",
                _ => "invalid assertion",
            };
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (!token.TryGetPayloadValue<string>("sub", out var subject) || subject != Credentials.Username)
        {
            return "user hasn't approved this consumer";
        }

        if (!token.TryGetPayloadValue<long>("exp", out var exp) || DateTimeOffset.FromUnixTimeSeconds(exp) < _timeProvider.GetUtcNow())
        {
            return "expired authorization code";
        }

        return null;
    }

    private static bool TryRecords(SandboxRequest request, out List<JsonObject> records, out SandboxResponse? problem)
    {
        var body = JsonNode.Parse(request.Body)?.AsObject();
        records = body?["records"] is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
        problem = null;
        if (body?["records"] is not JsonArray)
        {
            problem = SandboxResponse.Error(400, "JSON_PARSER_ERROR", "records is required");
        }
        else if (records.Count > 200)
        {
            problem = SandboxResponse.Error(400, "EXCEEDED_ID_LIMIT", "record limit is 200");
        }

        return problem is null;
    }

    private static JsonObject WithoutAttributes(JsonObject record)
    {
        var copy = (JsonObject)record.DeepClone();
        copy.Remove("attributes");
        return copy;
    }

    /// <summary>What the org says of a record whose fields it cannot write: unknown, read-only, or a restricted picklist's bad value.</summary>
    private static JsonObject? FieldProblem(ObjectSchema obj, JsonObject fields)
    {
        if (UnknownField(obj, fields) is { } unknown)
        {
            return Failure("INVALID_FIELD", $"No such column '{unknown}' on sobject of type {obj.Name}", unknown);
        }

        foreach (var (name, value) in fields)
        {
            var field = obj.Field(name)!;
            if (field.ReadOnly)
            {
                return Failure("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field.", field.Name);
            }

            if (field.RestrictedPicklist && value is not null && !field.PicklistValues.Contains(value.GetValue<string>(), StringComparer.Ordinal))
            {
                return Failure("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"bad value for restricted picklist field: {value}", field.Name);
            }
        }

        return null;
    }

    private static string? UnknownField(ObjectSchema obj, JsonObject fields) =>
        fields.Select(f => f.Key).FirstOrDefault(name => name != "attributes" && obj.FieldName(name) is null);

    private static JsonObject Success(string id, bool? created)
    {
        var result = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } c)
        {
            result["created"] = c;
        }

        return result;
    }

    private static JsonObject Failure(string statusCode, string message, params string[] fields) => new()
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject
        {
            ["statusCode"] = statusCode,
            ["message"] = message,
            ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
        }),
    };

    private SandboxResponse WithLimitInfo(SandboxResponse response) => response with
    {
        Headers = new Dictionary<string, string>(response.Headers)
        {
            ["Sforce-Limit-Info"] = string.Create(CultureInfo.InvariantCulture, $"api-usage={UsedToday}/{DailyApiAllocation}"),
        },
    };
}
