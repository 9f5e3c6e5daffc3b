using System.Text;

namespace Connector.Sandbox.Http;

/// <summary>The CSV the org's Bulk API reads and writes (RFC 4180: quoted cells may hold commas, quotes and line breaks).</summary>
internal static class SandboxCsv
{
    /// <summary>One cell, quoted when it must be.</summary>
    public static string Cell(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The rows of a CSV text; a trailing line break ends the last row.</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var position = 0;
        while (position < text.Length)
        {
            var row = new List<string>();
            bool endOfRow;
            do
            {
                row.Add(ReadCell(text, ref position));
                endOfRow = position >= text.Length || text[position] is '\n' or '\r';
                if (!endOfRow)
                {
                    position++; // the comma
                }
            }
            while (!endOfRow);

            if (position < text.Length && text[position] == '\r')
            {
                position++;
            }

            if (position < text.Length && text[position] == '\n')
            {
                position++;
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string ReadCell(string text, ref int position)
    {
        if (position >= text.Length || text[position] != '"')
        {
            var end = text.IndexOfAny([',', '\n', '\r'], position);
            end = end < 0 ? text.Length : end;
            var plain = text[position..end];
            position = end;
            return plain;
        }

        var cell = new StringBuilder();
        position++; // the opening quote
        while (position < text.Length)
        {
            var closing = text.IndexOf('"', position);
            if (closing < 0)
            {
                throw new FormatException("A quoted CSV cell is not closed.");
            }

            cell.Append(text, position, closing - position);
            position = closing + 1;
            if (position < text.Length && text[position] == '"')
            {
                cell.Append('"');
                position++;
                continue;
            }

            return cell.ToString();
        }

        throw new FormatException("A quoted CSV cell is not closed.");
    }
}
