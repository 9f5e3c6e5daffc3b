using System.Globalization;
using System.Text;

namespace Connector.Invoicing.Usage;

/// <summary>
/// Usage records from a CSV file (RFC 4180: comma-separated, double quotes around values that hold commas, quotes or
/// line breaks), for usage measured outside Salesforce. The first row names the columns, as the usage source's inputs:
/// <c>usageId</c>, <c>orderItemId</c>, <c>usageDate</c> (yyyy-MM-dd) and <c>quantity</c> (a decimal with a '.', negative for a
/// correction) are required; <c>unitOfMeasure</c> and <c>matchingAttribute</c> are optional. Every problem is reported
/// with its line number; a row repeated with the same content counts once.
/// </summary>
internal static class UsageCsv
{
    private static readonly string[] Required = ["usageId", "orderItemId", "usageDate", "quantity"];
    private static readonly string[] Optional = ["unitOfMeasure", "matchingAttribute"];

    public static (IReadOnlyList<UsageRecord> Records, IReadOnlyList<string> Problems) Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problems = new List<string>();
        var records = new List<UsageRecord>();
        var rows = Rows(reader).GetEnumerator();
        if (!rows.MoveNext())
        {
            return (records, ["the file is empty; the first row names the columns: " + string.Join(",", Required.Concat(Optional))]);
        }

        var header = rows.Current.Values;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!Required.Concat(Optional).Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"line 1: unknown column '{Shown(name)}'; the columns are {string.Join(", ", Required.Concat(Optional))}");
            }
            else if (!columns.TryAdd(name, i))
            {
                problems.Add($"line 1: column '{Shown(name)}' appears twice");
            }
        }

        problems.AddRange(Required.Where(c => !columns.ContainsKey(c)).Select(c => $"line 1: required column '{c}' is missing"));
        if (problems.Count > 0)
        {
            return (records, problems);
        }

        var seen = new Dictionary<string, (UsageRecord Record, int Line)>(StringComparer.Ordinal);
        while (rows.MoveNext())
        {
            var (line, values) = rows.Current;
            if (values.Count == 1 && values[0].Length == 0)
            {
                continue; // a blank line
            }

            if (values.Count != header.Count)
            {
                problems.Add($"line {line}: {values.Count} values for {header.Count} columns");
                continue;
            }

            string Value(string column) => columns.TryGetValue(column, out var index) ? values[index].Trim() : "";
            var rowProblems = new List<string>();
            var id = Value("usageId");
            var item = Value("orderItemId");
            if (id.Length is 0 or > 80)
            {
                rowProblems.Add($"usageId '{Shown(id)}' must be 1 to 80 characters");
            }

            if (item.Length is not (15 or 18) || !item.All(char.IsAsciiLetterOrDigit))
            {
                rowProblems.Add($"orderItemId '{Shown(item)}' is not a Salesforce record id (15 or 18 letters and digits)");
            }

            var dateOk = DateOnly.TryParseExact(Value("usageDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date >= Money.BillingLimits.MinDate && date <= Money.BillingLimits.MaxDate;
            if (!dateOk)
            {
                rowProblems.Add($"usageDate '{Shown(Value("usageDate"))}' is not a date from 1900-01-01 to 2199-12-31 written yyyy-MM-dd");
            }

            var quantityOk = decimal.TryParse(Value("quantity"), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quantity)
                && Math.Abs(quantity) <= Money.BillingLimits.MaxQuantity && quantity == decimal.Round(quantity, 9, MidpointRounding.ToEven);
            if (!quantityOk)
            {
                rowProblems.Add($"quantity '{Shown(Value("quantity"))}' is not a decimal from -1000000000 to 1000000000 with at most 9 decimals (use '.' for the decimal point)");
            }

            if (rowProblems.Count > 0)
            {
                problems.AddRange(rowProblems.Select(p => $"line {line}: {p}"));
                continue;
            }

            var record = new UsageRecord(id, item, date, quantity, NullIfEmpty(Value("unitOfMeasure")), NullIfEmpty(Value("matchingAttribute")))
            {
                Source = string.Create(CultureInfo.InvariantCulture, $"{source} line {line}"),
            };
            if (seen.TryGetValue(id, out var first))
            {
                if (!first.Record.SameContent(record))
                {
                    problems.Add($"line {line}: usageId '{Shown(id)}' is also on line {first.Line} with other content; a usage id names one record");
                }

                continue;
            }

            seen[id] = (record, line);
            records.Add(record);
        }

        return (records, problems);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A value as a message shows it: at most 40 characters, anything unprintable (control or invalid characters) as '?'.</summary>
    private static string Shown(string text)
    {
        var shown = new string([.. text.Take(41).Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c)]);
        return shown.Length > 40 ? shown[..39] + "…" : shown;
    }

    /// <summary>The file's rows with the line each starts on; quoted values may hold commas, quotes ("") and line breaks.</summary>
    private static IEnumerable<(int Line, List<string> Values)> Rows(TextReader reader)
    {
        var line = 1;
        var values = new List<string>();
        var value = new StringBuilder();
        var quoted = false;
        var start = 1;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"' && reader.Peek() == '"')
                {
                    value.Append('"');
                    reader.Read();
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += ch == '\n' ? 1 : 0;
                    value.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when value.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    values.Add(value.ToString());
                    value.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    values.Add(value.ToString());
                    yield return (start, values);
                    values = [];
                    value.Clear();
                    start = ++line;
                    break;
                default:
                    value.Append(ch);
                    break;
            }
        }

        if (value.Length > 0 || values.Count > 0)
        {
            values.Add(value.ToString());
            yield return (start, values);
        }
    }
}
