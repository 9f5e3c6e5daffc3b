using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;
using Connector.Sandbox.Http;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    private readonly Dictionary<string, IngestJob> _ingestJobs = new(StringComparer.Ordinal);

    /// <summary>Bulk API 2.0 ingest jobs created so far.</summary>
    public int IngestJobsCreated => _ingestJobs.Count;

    /// <summary>
    /// The next ingest job is aborted by the org after processing this many records: the rest are left in its
    /// unprocessed records. Null (default) processes every record.
    /// </summary>
    public int? AbortNextIngestJobAfter { get; set; }

    /// <summary>Closed ingest jobs stay InProgress (an org too busy to get to them) until this is set back to false.</summary>
    public bool IngestJobsStall { get; set; }

    private sealed class IngestJob(string id, ObjectSchema target, string operation, string? externalIdField)
    {
        public string Id => id;
        public ObjectSchema Target => target;
        public string Operation => operation;
        public string? ExternalIdField => externalIdField;
        public string State { get; set; } = "Open";
        public string? Csv { get; set; }
        public List<string> Columns { get; } = [];
        public List<(List<string> Row, JsonObject Result)> Processed { get; } = [];
        public List<List<string>> Unprocessed { get; } = [];
    }

    /// <summary>POST jobs/ingest: an Open job for one object and operation (insert, update or upsert).</summary>
    internal SandboxResponse CreateIngestJob(byte[] requestBody)
    {
        var body = JsonNode.Parse(requestBody) as JsonObject;
        var operation = body?["operation"]?.GetValue<string>();
        if (body?["object"]?.GetValue<string>() is not { } objectName || Data.Schema.Find(objectName) is not { } target)
        {
            return SandboxResponse.Error(400, "INVALIDJOB", $"InvalidJob : Unable to find object: {body?["object"]}");
        }

        if (operation is not ("insert" or "update" or "upsert"))
        {
            return SandboxResponse.Error(400, "INVALIDJOB", $"InvalidJob : the sandbox runs insert, update and upsert jobs, not {operation}");
        }

        string? externalId = null;
        if (operation == "upsert" && (body["externalIdFieldName"]?.GetValue<string>() is not { } named || (externalId = target.FieldName(named)) is null))
        {
            return SandboxResponse.Error(400, "INVALIDJOB", "InvalidJob : an upsert job needs an externalIdFieldName of the object");
        }

        if ((body["lineEnding"]?.GetValue<string>() ?? "LF") is not ("LF" or "CRLF") || (body["columnDelimiter"]?.GetValue<string>() ?? "COMMA") != "COMMA")
        {
            return SandboxResponse.Error(400, "INVALIDJOB", "InvalidJob : the sandbox reads LF or CRLF lines and COMMA columns");
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"750SANDBOXI{_ingestJobs.Count + 1:0000}");
        var job = new IngestJob(id, target, operation, externalId);
        _ingestJobs[id] = job;
        return SandboxResponse.Json(200, JobInfo(job));
    }

    /// <summary>PUT the job's CSV: once, while the job is Open.</summary>
    internal SandboxResponse UploadIngestData(string id, byte[] body)
    {
        if (!_ingestJobs.TryGetValue(id, out var job))
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"No ingest job {id}.");
        }

        if (job.State != "Open" || job.Csv is not null)
        {
            return SandboxResponse.Error(409, "INVALIDJOBSTATE", "Data can be uploaded once, to an Open job.");
        }

        job.Csv = Encoding.UTF8.GetString(body);
        return new SandboxResponse(201, "", new Dictionary<string, string>());
    }

    /// <summary>PATCH state UploadComplete: the org processes the data (here at once) and the job ends JobComplete.</summary>
    internal SandboxResponse CloseIngestJob(string id, byte[] body)
    {
        if (!_ingestJobs.TryGetValue(id, out var job))
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"No ingest job {id}.");
        }

        var state = (JsonNode.Parse(body) as JsonObject)?["state"]?.GetValue<string>();
        if (state == "Aborted" && job.State is "Open" or "UploadComplete" or "InProgress")
        {
            // Aborted before the org got to it: every uploaded row is left unprocessed.
            var uploaded = SandboxCsv.Parse(job.Csv ?? "");
            job.State = "Aborted";
            if (uploaded.Count > 0)
            {
                job.Columns.AddRange(uploaded[0]);
                job.Unprocessed.AddRange(uploaded.Skip(1));
            }

            return SandboxResponse.Json(200, JobInfo(job));
        }

        if (state != "UploadComplete" || job.State != "Open")
        {
            return SandboxResponse.Error(409, "INVALIDJOBSTATE", $"Cannot move a job from {job.State} to {state}.");
        }

        if (IngestJobsStall)
        {
            job.State = "InProgress";
            return SandboxResponse.Json(200, JobInfo(job));
        }

        var rows = SandboxCsv.Parse(job.Csv ?? "");
        if (rows.Count == 0)
        {
            job.State = "Failed";
            return SandboxResponse.Json(200, JobInfo(job));
        }

        job.Columns.AddRange(rows[0]);
        var stopAfter = AbortNextIngestJobAfter;
        AbortNextIngestJobAfter = null;
        foreach (var row in rows.Skip(1))
        {
            if (job.Processed.Count >= stopAfter)
            {
                job.Unprocessed.Add(row);
                continue;
            }

            job.Processed.Add((row, IngestRow(job, row)));
        }

        job.State = job.Unprocessed.Count > 0 ? "Aborted" : "JobComplete";
        return SandboxResponse.Json(200, JobInfo(job));
    }

    private JsonObject IngestRow(IngestJob job, List<string> row)
    {
        if (row.Count != job.Columns.Count)
        {
            return Failure("INVALID_INPUT", "the row does not have as many columns as the header");
        }

        var fields = new JsonObject();
        for (var i = 0; i < row.Count; i++)
        {
            if (row[i].Length == 0)
            {
                continue; // an empty cell leaves the field as it is
            }

            var field = job.Target.Field(job.Columns[i]);
            fields[field?.Name ?? job.Columns[i]] = row[i] == "#N/A" ? null : field?.Type switch
            {
                "double" or "currency" or "percent" or "int" when decimal.TryParse(row[i], NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                "boolean" => JsonValue.Create(row[i].Equals("true", StringComparison.OrdinalIgnoreCase)),
                _ => JsonValue.Create(row[i]),
            };
        }

        return job.Operation switch
        {
            "upsert" => UpsertOne(job.Target, job.ExternalIdField!, fields),
            "update" => fields["Id"] is null ? Failure("MISSING_ARGUMENT", "Id not specified in an update call", "Id") : UpdateOne(job.Target, fields),
            _ => FieldProblem(job.Target, fields) ?? Success(Data.Insert(job.Target.Name, fields), created: true),
        };
    }

    internal SandboxResponse IngestJobInfo(string id) =>
        _ingestJobs.TryGetValue(id, out var job) ? SandboxResponse.Json(200, JobInfo(job)) : SandboxResponse.Error(404, "NOT_FOUND", $"No ingest job {id}.");

    /// <summary>successfulResults (sf__Id, sf__Created), failedResults (sf__Id, sf__Error) and unprocessedrecords, as CSV.</summary>
    internal SandboxResponse IngestResults(string id, string which)
    {
        if (!_ingestJobs.TryGetValue(id, out var job))
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"No ingest job {id}.");
        }

        if (job.State is not ("JobComplete" or "Failed" or "Aborted"))
        {
            return SandboxResponse.Error(400, "INVALIDJOBSTATE", "Results are available once the job has ended.");
        }

        var rows = new List<IEnumerable<string>>();
        switch (which)
        {
            case "successfulResults":
                rows.Add(["sf__Id", "sf__Created", .. job.Columns]);
                rows.AddRange(job.Processed.Where(p => p.Result["success"]!.GetValue<bool>()).Select(p => (IEnumerable<string>)
                    [p.Result["id"]!.GetValue<string>(), p.Result["created"]?.GetValue<bool>() == true ? "true" : "false", .. p.Row]));
                break;
            case "failedResults":
                rows.Add(["sf__Id", "sf__Error", .. job.Columns]);
                foreach (var (row, result) in job.Processed.Where(p => !p.Result["success"]!.GetValue<bool>()))
                {
                    var error = result["errors"]![0]!;
                    var fields = error["fields"] is JsonArray { Count: > 0 } names ? string.Join(",", names.Select(n => n!.GetValue<string>())) : "--";
                    rows.Add(["", $"{error["statusCode"]}:{error["message"]}:{fields}", .. row]);
                }

                break;
            case "unprocessedrecords":
                rows.Add(job.Columns);
                rows.AddRange(job.Unprocessed);
                break;
            default:
                return SandboxResponse.Error(404, "NOT_FOUND", $"No such job resource: {which}");
        }

        return new SandboxResponse(200, SandboxCsv.Write(rows), new Dictionary<string, string> { ["Content-Type"] = "text/csv" });
    }

    private static JsonObject JobInfo(IngestJob job)
    {
        var info = new JsonObject
        {
            ["id"] = job.Id,
            ["operation"] = job.Operation,
            ["object"] = job.Target.Name,
            ["state"] = job.State,
            ["contentType"] = "CSV",
            ["contentUrl"] = $"services/data/v62.0/jobs/ingest/{job.Id}/batches",
            ["numberRecordsProcessed"] = job.Processed.Count,
            ["numberRecordsFailed"] = job.Processed.Count(p => !p.Result["success"]!.GetValue<bool>()),
        };
        if (job.ExternalIdField is { } externalId)
        {
            info["externalIdFieldName"] = externalId;
        }

        return info;
    }
}
