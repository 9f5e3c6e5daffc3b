using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce;

internal sealed partial class SalesforceClient
{
    /// <summary>The overload below with its optional arguments left out.</summary>
    public IAsyncEnumerable<IReadOnlyList<JsonObject>> QueryPagesAsync(string soql, CancellationToken cancellationToken) => QueryPagesAsync(soql, includeDeleted: false, cancellationToken);

    /// <summary>
    /// Runs a SOQL query and yields each batch of records, following <c>nextRecordsUrl</c> until <c>done</c>. With
    /// <paramref name="includeDeleted"/> it is a queryAll: records in the Recycle Bin come too, with IsDeleted true.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<JsonObject>> QueryPagesAsync(string soql, bool includeDeleted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? path = $"{DataPath}/{(includeDeleted ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}";
        while (path is not null)
        {
            var page = await SendForAsync(HttpMethod.Get, path, SalesforceJsonContext.Default.QueryResponse, "a query response", cancellationToken);
            if (page is not { Records: { } records, Done: { } done })
            {
                throw Malformed("a query response without records and done");
            }

            yield return [.. records.OfType<JsonObject>()];
            path = done ? null : page.NextRecordsUrl ?? throw Malformed("done=false without nextRecordsUrl");
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
        var body = await SendForAsync(HttpMethod.Get, $"{DataPath}/sobjects/{Soql.Name(sObject)}/deleted/?start={Instant(start)}&end={Instant(end)}",
            SalesforceJsonContext.Default.DeletedResponse, "a getDeleted response", cancellationToken);
        if (body is not { DeletedRecords: { } records, LatestDateCovered: { } covered })
        {
            throw Malformed("a getDeleted response without deletedRecords and latestDateCovered");
        }

        return Read("a getDeleted response", () => new DeletedRecords(
            [.. records.Select(r => new DeletedRecord(
                r?.Id ?? throw Malformed("a deleted record without id"),
                SalesforceDates.ParseDateTime(r.DeletedDate ?? throw Malformed("a deleted record without deletedDate"))))],
            body.EarliestDateAvailable is { } earliest ? SalesforceDates.ParseDateTime(earliest) : null,
            SalesforceDates.ParseDateTime(covered)));
    }

    /// <summary>How many records a query matches (<c>SELECT COUNT() FROM …</c>): one call, no records.</summary>
    public async Task<long> CountAsync(string countSoql, CancellationToken cancellationToken)
    {
        var body = await SendForAsync(HttpMethod.Get, $"{DataPath}/query?q={Uri.EscapeDataString(countSoql)}", SalesforceJsonContext.Default.QueryResponse, "a COUNT() response", cancellationToken);
        return body?.TotalSize ?? throw Malformed("a COUNT() response without totalSize");
    }

    /// <summary>
    /// Runs a query as a Bulk API 2.0 query job, for backfills: create the job, wait until the org completes it, then
    /// read the CSV results page by page (<c>Sforce-Locator</c>), each row as a record whose dotted columns
    /// (<c>Product2.Name</c>) are nested like the REST query's. A few calls for any number of records.
    /// </summary>
    /// <remarks>
    /// A results page (<see cref="SalesforceOptions.BulkPageSize"/> rows) is one call but is yielded
    /// <see cref="RecordsPerBulkChunk"/> records at a time, parsed as they are taken: the caller stores each chunk in its own
    /// transaction, and no more than one chunk of records lives at once.
    /// </remarks>
    public async IAsyncEnumerable<IReadOnlyList<JsonObject>> BulkQueryPagesAsync(string soql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var created = await SendForJsonAsync(HttpMethod.Post, $"{DataPath}/jobs/query",
            () => new StringContent(new JsonObject { ["operation"] = "query", ["query"] = soql }.ToJsonString(), Encoding.UTF8, "application/json"),
            idempotent: false, cancellationToken);
        var jobId = As(created, SalesforceJsonContext.Default.JobInfo, "a job")?.Id ?? throw Malformed("a query job without id");
        var deadline = timeProvider.GetUtcNow() + options.Value.BulkJobTimeout;
        while (true)
        {
            var job = await SendForJsonAsync(HttpMethod.Get, $"{DataPath}/jobs/query/{Uri.EscapeDataString(jobId)}", null, idempotent: true, cancellationToken);
            var state = As(job, SalesforceJsonContext.Default.JobInfo, "a job")?.State ?? throw Malformed("a query job without state");
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
            var (_, csv, headers) = await SendTextAsync(HttpMethod.Get, path, null, idempotent: true, "text/csv", ifModifiedSince: null, cancellationToken);
            foreach (var records in Api.BulkCsv.Chunks(csv, RecordsPerBulkChunk))
            {
                yield return records;
            }

            locator = headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
        }
        while (locator is { Length: > 0 } and not "null");
    }

    /// <summary>Records per chunk of a Bulk API 2.0 results page: a REST query page's worth.</summary>
    internal const int RecordsPerBulkChunk = 2_000;
}
