using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Http;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    internal SandboxResponse Query(string? soql, bool includeDeleted)
    {
        if (soql is null)
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
    internal SandboxResponse GetDeleted(string sObject, string? startText, string? endText)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
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
    internal SandboxResponse CreateQueryJob(byte[] requestBody)
    {
        var body = JsonNode.Parse(requestBody) as JsonObject;
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

    internal SandboxResponse QueryJob(string id) =>
        _queryJobs.TryGetValue(id, out var job)
            ? SandboxResponse.Json(200, new JsonObject { ["id"] = id, ["state"] = "JobComplete", ["numberRecordsProcessed"] = job.Rows.Count })
            : SandboxResponse.Error(404, "NOT_FOUND", $"No query job {id}.");

    internal SandboxResponse QueryJobResults(string id, string? maxRecords, string? locator)
    {
        if (!_queryJobs.TryGetValue(id, out var job))
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"No query job {id}.");
        }

        var size = maxRecords is null ? 50_000 : int.Parse(maxRecords, CultureInfo.InvariantCulture);
        var start = locator is null ? 0 : int.Parse(locator, CultureInfo.InvariantCulture);
        var page = job.Rows.Skip(start).Take(size).ToList();
        var csv = SandboxCsv.Write([job.Fields, .. page.Select(row => job.Fields.Select(f => Path(row, f)))]);

        var next = start + page.Count;
        return new SandboxResponse(200, csv, new Dictionary<string, string>
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

    internal SandboxResponse QueryMore(string locator)
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
}
