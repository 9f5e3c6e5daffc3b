using nietras.SeparatedValues;

namespace Connector.Sandbox.Http;

/// <summary>The CSV the org's Bulk API reads and writes (RFC 4180: quoted cells may hold commas, quotes and line breaks), through Sep, as the client's.</summary>
internal static class SandboxCsv
{
    /// <summary>The rows of a CSV text (LF or CRLF line endings).</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        using var reader = Sep.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        foreach (var row in reader)
        {
            var cells = new List<string>(row.ColCount);
            for (var i = 0; i < row.ColCount; i++)
            {
                cells.Add(row[i].ToString());
            }

            rows.Add(cells);
        }

        return rows;
    }

    /// <summary>Rows as CSV text, each cell quoted where it must be.</summary>
    public static string Write(IEnumerable<IEnumerable<string>> rows)
    {
        using var writer = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true, DisableColCountCheck = true }).ToText();
        foreach (var cells in rows)
        {
            using var row = writer.NewRow();
            var i = 0;
            foreach (var cell in cells)
            {
                row[i++].Set(cell);
            }
        }

        return writer.ToString();
    }
}
