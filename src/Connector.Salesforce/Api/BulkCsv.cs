using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Salesforce.Api;

/// <summary>
/// Reads Bulk API 2.0 query and ingest results (RFC 4180 CSV, a header row of field paths) into records shaped like the REST
/// query's: <c>Product2.Name</c> becomes <c>{"Product2": {"Name": …}}</c>; an empty cell is null. Values stay text, as
/// the mapping reads text as well as JSON numbers.
/// </summary>
public static class BulkCsv
{
    public static IReadOnlyList<JsonObject> Records(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var rows = Rows(csv);
        if (rows.Count == 0)
        {
            return [];
        }

        var header = rows[0];
        var records = new List<JsonObject>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            if (row.Count != header.Count)
            {
                throw new SalesforceApiException(System.Net.HttpStatusCode.OK, "MALFORMED_RESPONSE", $"Bulk query results have a row of {row.Count} cells under a header of {header.Count}.");
            }

            var record = new JsonObject();
            for (var i = 0; i < header.Count; i++)
            {
                Set(record, header[i].Split('.'), row[i].Length == 0 ? null : JsonValue.Create(row[i]));
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>
    /// Writes flat records as a Bulk API 2.0 ingest upload: a header of <paramref name="columns"/>, one row per record,
    /// LF line endings. A null value is <c>#N/A</c> (Bulk API's "set to null"); a field a record lacks is left empty
    /// (unchanged in the org). Numbers and booleans are written invariantly.
    /// </summary>
    public static string Write(IReadOnlyList<JsonObject> records, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(columns);
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(Quote)).Append('\n');
        foreach (var record in records)
        {
            text.AppendJoin(',', columns.Select(column => !record.TryGetPropertyValue(column, out var value)
                ? ""
                : value switch
                {
                    null => "#N/A",
                    JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? "#N/A" : Quote(s), // the org stores blank text as null
                    JsonValue v => v.ToJsonString(),
                    _ => throw new ArgumentException($"Field {column} holds a nested value; Bulk API uploads take flat records.", nameof(records)),
                })).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 && text != "#N/A" ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

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

    private static List<List<string>> Rows(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
