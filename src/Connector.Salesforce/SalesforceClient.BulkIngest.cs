using System.Text.Json;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce;

internal sealed partial class SalesforceClient
{
    /// <summary>Bulk API 2.0 takes at most 150 MB per upload; a larger write is split into jobs of at most this much CSV.</summary>
    internal const int MaxBulkUploadBytes = 100 * 1024 * 1024;

    private static readonly string[] TerminalStates = ["JobComplete", "Failed", "Aborted"];

    /// <summary>
    /// Writes one object's records through Bulk API 2.0 ingest jobs: create the job (upsert by external id, or update by
    /// Id), upload the CSV, close it with <c>UploadComplete</c> (without which nothing is processed), poll until it ends,
    /// then read its successful, failed and unprocessed records. The org does not keep input order in its results, so
    /// they are matched back by the key column. Unprocessed records (a job that failed or was aborted midway) come back
    /// as retryable failures.
    /// </summary>
    private async Task<SaveResult[]> BulkSaveAsync(SaveRequest request, CancellationToken cancellationToken)
    {
        // A lookup set through its parent's external id ("Parent__r": { "Key__c": "K" }) is a "Parent__r.Key__c" column in a CSV.
        request = request with { Records = [.. request.Records.Select(FlattenReferences)] };
        var columns = request.Records.SelectMany(r => r.Select(p => p.Key)).Where(k => k != "attributes").Distinct(StringComparer.Ordinal).Select(Soql.Name).ToList();
        if (!columns.Contains(request.KeyField, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Records written to {request.SObject} by Bulk API need their {request.KeyField}.", nameof(request));
        }

        var results = new SaveResult[request.Records.Count];
        var offset = 0;
        foreach (var (part, csv) in UploadParts(request.Records, columns))
        {
            var partResults = await BulkJobAsync(request, part, csv, cancellationToken);
            partResults.CopyTo(results, offset);
            offset += part.Count;
        }

        return results;
    }

    private static JsonObject FlattenReferences(JsonObject record) =>
        record.Any(p => p.Key != "attributes" && p.Value is JsonObject)
            ? new JsonObject(record.SelectMany(p => p.Key != "attributes" && p.Value is JsonObject nested
                ? nested.Select(n => KeyValuePair.Create(p.Key + "." + n.Key, n.Value?.DeepClone()))
                : [KeyValuePair.Create(p.Key, p.Value?.DeepClone())]))
            : record;

    private static IEnumerable<(IReadOnlyList<JsonObject> Records, string Csv)> UploadParts(IReadOnlyList<JsonObject> records, IReadOnlyList<string> columns)
    {
        var csv = BulkCsv.Write(records, columns);
        if (Encoding.UTF8.GetByteCount(csv) <= MaxBulkUploadBytes || records.Count == 1)
        {
            yield return (records, csv);
            yield break;
        }

        var half = records.Count / 2;
        foreach (var part in UploadParts([.. records.Take(half)], columns).Concat(UploadParts([.. records.Skip(half)], columns)))
        {
            yield return part;
        }
    }

    private async Task<SaveResult[]> BulkJobAsync(SaveRequest request, IReadOnlyList<JsonObject> records, string csv, CancellationToken cancellationToken)
    {
        var job = new JsonObject
        {
            ["object"] = Soql.Name(request.SObject),
            ["operation"] = request.ExternalIdField is null ? "update" : "upsert",
            ["contentType"] = "CSV",
            ["lineEnding"] = BulkCsv.LineEnding,
            ["columnDelimiter"] = "COMMA",
        };
        if (request.ExternalIdField is { } externalId)
        {
            job["externalIdFieldName"] = Soql.Name(externalId);
        }

        // Creating a job or uploading to it twice is not idempotent (a second upload is refused): neither is replayed blindly.
        var created = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/jobs/ingest", () => Json(job), idempotent: false, cancellationToken);
        var createdJob = As(created, SalesforceJsonContext.Default.JobInfo, "a job");
        var jobId = createdJob?.Id ?? throw Malformed("an ingest job without id");
        var jobPath = $"{DataPath}/jobs/ingest/{Uri.EscapeDataString(jobId)}";
        var contentUrl = createdJob.ContentUrl is { Length: > 0 } url ? "/" + url.TrimStart('/') : jobPath + "/batches";
        await SendTextAsync(HttpMethod.Put, contentUrl, () => new StringContent(csv, Encoding.UTF8, "text/csv"), idempotent: false, "application/json", ifModifiedSince: null, cancellationToken);
        await SendForJsonAsync(HttpMethod.Patch, jobPath, () => Json(new JsonObject { ["state"] = "UploadComplete" }), idempotent: true, cancellationToken);

        var deadline = timeProvider.GetUtcNow() + options.Value.BulkJobTimeout;
        while (true)
        {
            var status = await SendForJsonAsync(HttpMethod.Get, jobPath, null, idempotent: true, cancellationToken);
            var state = As(status, SalesforceJsonContext.Default.JobInfo, "a job")?.State ?? throw Malformed("an ingest job without state");
            if (TerminalStates.Contains(state, StringComparer.Ordinal))
            {
                break;
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                // Still running: abort it; what it processed is read below, the rest comes back as unprocessed.
                await SendForJsonAsync(HttpMethod.Patch, jobPath, () => Json(new JsonObject { ["state"] = "Aborted" }), idempotent: true, cancellationToken);
                break;
            }

            await Task.Delay(options.Value.BulkPollInterval, timeProvider, cancellationToken);
        }

        var keyed = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var key = records[i][request.KeyField] is JsonValue value ? (value.TryGetValue<string>(out var text) ? text : value.ToJsonString()) : "";
            (keyed.TryGetValue(key, out var positions) ? positions : keyed[key] = []).Add(i);
        }

        var results = new SaveResult?[records.Count];
        void Assign(IEnumerable<JsonObject> rows, Func<JsonObject, SaveResult> result)
        {
            foreach (var row in rows)
            {
                if (row[request.KeyField]?.GetValue<string>() is { } key && keyed.TryGetValue(key, out var positions))
                {
                    foreach (var position in positions)
                    {
                        results[position] = result(row);
                    }
                }
            }
        }

        Assign(await ResultRowsAsync(jobPath + "/successfulResults", cancellationToken), row => new SaveResult(
            row["sf__Id"]?.GetValue<string>(), true, request.ExternalIdField is null ? null : row["sf__Created"]?.GetValue<string>() == "true", []));
        Assign(await ResultRowsAsync(jobPath + "/failedResults", cancellationToken), row => new SaveResult(null, false, null, [BulkError(row["sf__Error"]?.GetValue<string>())]));
        Assign(await ResultRowsAsync(jobPath + "/unprocessedrecords", cancellationToken), _ => Unprocessed(jobId));
        return [.. results.Select(r => r ?? Unprocessed(jobId))];
    }

    private async Task<IReadOnlyList<JsonObject>> ResultRowsAsync(string path, CancellationToken cancellationToken)
    {
        var (_, csv, _) = await SendTextAsync(HttpMethod.Get, path, null, idempotent: true, "text/csv", ifModifiedSince: null, cancellationToken);
        return BulkCsv.Records(csv);
    }

    /// <summary>
    /// A failed row's <c>sf__Error</c>: <c>STATUS_CODE:message:fields</c>, the fields a comma list or <c>--</c>; the
    /// message may hold colons of its own.
    /// </summary>
    internal static SalesforceError BulkError(string? error)
    {
        var text = error ?? "";
        var codeEnd = text.IndexOf(':', StringComparison.Ordinal);
        if (codeEnd <= 0)
        {
            return new SalesforceError("UNKNOWN", text.Length == 0 ? "the job gave no error" : text, []);
        }

        var rest = text[(codeEnd + 1)..];
        var fieldsStart = rest.LastIndexOf(':');
        var tail = fieldsStart < 0 ? "" : rest[(fieldsStart + 1)..].Replace("--", "", StringComparison.Ordinal).Trim();
        string[] fields = [.. tail.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return fieldsStart >= 0 && fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            ? new SalesforceError(text[..codeEnd], rest[..fieldsStart], fields)
            : new SalesforceError(text[..codeEnd], rest, []);
    }

    private static SaveResult Unprocessed(string jobId) =>
        new(null, false, null, [new SalesforceError("BULK_UNPROCESSED", string.Create(CultureInfo.InvariantCulture, $"Bulk API job {jobId} ended before processing this record"), [])]);

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
