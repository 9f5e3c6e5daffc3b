using System.Text.Json.Nodes;
using nietras.SeparatedValues;

namespace Connector.Salesforce.Api;

/// <summary>
/// Reads Bulk API 2.0 query and ingest results (RFC 4180 CSV, a header row of field paths) into records shaped like the REST
/// query's: <c>Product2.Name</c> becomes <c>{"Product2": {"Name": …}}</c>; an empty cell is null. Values stay text, as
/// the mapping reads text as well as JSON numbers.
/// </summary>
internal static class BulkCsv
{
    public static IReadOnlyList<JsonObject> Records(string csv) => [.. Chunks(csv, int.MaxValue).SelectMany(chunk => chunk)];

    /// <summary>
    /// The records of <paramref name="csv"/>, at most <paramref name="size"/> at a time, parsed as they are asked for: a
    /// results page of 10,000 rows never lives as 10,000 records at once.
    /// </summary>
    public static IEnumerable<IReadOnlyList<JsonObject>> Chunks(string csv, int size)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(csv);
        string[][]? header = null;
        var records = new List<JsonObject>();
        foreach (var row in reader)
        {
            if (header is null)
            {
                header = new string[row.ColCount][];
                for (var i = 0; i < header.Length; i++)
                {
                    header[i] = row[i].ToString().Split('.');
                }

                continue;
            }

            if (row.ColCount != header.Length)
            {
                throw new SalesforceApiException(System.Net.HttpStatusCode.OK, "MALFORMED_RESPONSE", $"Bulk query results have a row of {row.ColCount} cells under a header of {header.Length}.");
            }

            var record = new JsonObject();
            for (var i = 0; i < header.Length; i++)
            {
                var cell = row[i].Span;
                Set(record, header[i], cell.Length == 0 ? null : JsonValue.Create(cell.ToString()));
            }

            records.Add(record);
            if (records.Count == size)
            {
                yield return records;
                records = [];
            }
        }

        if (records.Count > 0)
        {
            yield return records;
        }
    }

    /// <summary>The line ending <see cref="Write"/> uses (the platform's, as Sep writes it), named as an ingest job's <c>lineEnding</c>.</summary>
    public static string LineEnding => Environment.NewLine == "\r\n" ? "CRLF" : "LF";

    /// <summary>
    /// Writes flat records as a Bulk API 2.0 ingest upload: a header of <paramref name="columns"/>, one row per record,
    /// cells quoted where RFC 4180 needs it. A null value is <c>#N/A</c> (Bulk API's "set to null"; text that is
    /// literally "#N/A" cannot be told apart, as in the org's own data loader); a field a record lacks is left empty
    /// (unchanged in the org). Numbers and booleans are written invariantly.
    /// </summary>
    public static string Write(IReadOnlyList<JsonObject> records, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(columns);
        using var writer = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true }).ToText();
        Row(writer, columns);
        foreach (var record in records)
        {
            Row(writer, [.. columns.Select(column => !record.TryGetPropertyValue(column, out var value)
                ? ""
                : value switch
                {
                    null => "#N/A",
                    JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? "#N/A" : s, // the org stores blank text as null
                    JsonValue v => v.ToJsonString(),
                    _ => throw new ArgumentException($"Field {column} holds a nested value; Bulk API uploads take flat records.", nameof(records)),
                })]);
        }

        return writer.ToString();
    }

    private static void Row(SepWriter writer, IReadOnlyList<string> cells)
    {
        using var row = writer.NewRow();
        for (var i = 0; i < cells.Count; i++)
        {
            row[i].Set(cells[i]);
        }
    }

    private static void Set(JsonObject record, string[] path, JsonNode? value)
    {
        var node = record;
        foreach (var part in path[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                node[part] = child = new JsonObject();
            }

            node = child;
        }

        node[path[^1]] = value;
    }
}
