using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce;

internal sealed partial class SalesforceClient
{
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

    private static JsonObject WithType(JsonObject record, string sObject)
    {
        var copy = (JsonObject)record.DeepClone();
        copy["attributes"] = new JsonObject { ["type"] = sObject };
        return copy;
    }

    private static SaveResult ParseSaveResult(JsonNode? node)
    {
        var item = node is JsonObject ? As(node, SalesforceJsonContext.Default.SaveResultResponse, "a save result") : null;
        if (item?.Success is not { } success)
        {
            throw Malformed("a save result without success");
        }

        var errors = (item.Errors ?? []).OfType<ErrorItem>()
            .Select(e => new SalesforceError(e.StatusCode ?? "UNKNOWN", e.Message ?? "", [.. (e.Fields ?? []).Select(f => f ?? "")]))
            .ToList();
        return new SaveResult(item.Id, success, item.Created, errors);
    }
}
