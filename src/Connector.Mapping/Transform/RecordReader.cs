using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Mapping.Profile;

namespace Connector.Mapping.Transform;

/// <summary>
/// Reads billing inputs from one Salesforce record as the source's field specs say: the first non-empty of the field
/// paths, else the default, or the constant; parsed by the input's format; picklists through their value map.
/// Every failure names the field, the value and the rule.
/// </summary>
internal sealed class RecordReader(JsonObject record, SourceMapping source, IReadOnlyDictionary<string, ValueMap> valueMaps)
{
    /// <summary>
    /// A text input, bounded as Salesforce bounds its fields: control characters become spaces and a text longer than
    /// <see cref="MaxText"/> characters (the longest a Salesforce text field holds) is cut visibly (…). An id input must
    /// be a Salesforce id.
    /// </summary>
    public string? Text(string input)
    {
        if (Read(input) is not { } value)
        {
            return null;
        }

        if (Definition(input)?.Kind == InputKind.Id)
        {
            return IsSalesforceId(value.Text) ? value.Text : throw new MappingFailure($"{value.Origin} = '{Shown(value.Text)}' is not a Salesforce record id (rule: {input} is 15 or 18 letters and digits)");
        }

        var text = new string([.. value.Text.Take(MaxText + 1).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return text.Length <= MaxText ? text : text[..(MaxText - 1)] + "…";
    }

    /// <summary>The longest text a Salesforce text field holds (names, addresses, picklist values).</summary>
    public const int MaxText = 255;

    public static bool IsSalesforceId(string text) => text.Length is 15 or 18 && text.All(char.IsAsciiLetterOrDigit);

    /// <summary>A value as a message shows it: at most 40 characters, controls as spaces.</summary>
    public static string Shown(string text) =>
        new string([.. text.Take(41).Select(c => char.IsControl(c) ? ' ' : c)]) is var shown && shown.Length > 40 ? shown[..39] + "…" : shown;

    public string RequiredText(string input) => Text(input) ?? throw Missing(input);

    public decimal? Decimal(string input)
    {
        if (Read(input) is not { } value)
        {
            return null;
        }

        decimal parsed;
        if (value.Node is JsonValue json && json.GetValueKind() == JsonValueKind.Number)
        {
            if (!json.TryGetValue(out parsed))
            {
                throw new MappingFailure($"{value.Origin} = {value.Text} is beyond any supported number (rule: {input} {RangeOf(input)})");
            }
        }
        else
        {
            var text = source.Fields[input].Format == "decimalComma" ? value.Text.Replace(".", "", StringComparison.Ordinal).Replace(',', '.') : value.Text;
            if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out parsed))
            {
                throw new MappingFailure($"{value.Origin} = '{value.Text}' is not a number (rule: {input})");
            }
        }

        return Definition(input)?.Range is { } range && !range.Contains(parsed)
            ? throw new MappingFailure($"{value.Origin} = {parsed.ToString(CultureInfo.InvariantCulture)} is out of range (rule: {input} is {range})")
            : parsed;
    }

    public decimal RequiredDecimal(string input) => Decimal(input) ?? throw Missing(input);

    public DateOnly? Date(string input)
    {
        if (Read(input) is not { } value)
        {
            return null;
        }

        var format = source.Fields[input].Format ?? "yyyy-MM-dd";
        if (!DateOnly.TryParseExact(value.Text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new MappingFailure($"{value.Origin} = '{value.Text}' is not a date in {format} (rule: {input})");
        }

        var (min, max) = (Invoicing.Money.BillingLimits.MinDate, Invoicing.Money.BillingLimits.MaxDate);
        return date >= min && date <= max
            ? date
            : throw new MappingFailure($"{value.Origin} = '{value.Text}' is out of range (rule: {input} is a date from {min:yyyy-MM-dd} to {max:yyyy-MM-dd})");
    }

    public DateOnly RequiredDate(string input) => Date(input) ?? throw Missing(input);

    /// <summary>A picklist input translated through its value map; null when the record has no value.</summary>
    public string? Picklist(string input)
    {
        if (Read(input) is not { } value)
        {
            return null;
        }

        var map = valueMaps[source.Fields[input].Map!];
        return map.Entries.TryGetValue(value.Text, out var translated)
            ? translated
            : throw new MappingFailure($"{value.Origin} = '{value.Text}' is not in valueMaps.{map.Name} (known: {string.Join(", ", map.Entries.Keys)})");
    }

    public string RequiredPicklist(string input) => Picklist(input) ?? throw Missing(input);

    /// <summary>For explanations: where an input's value came from and what it was, or null when it has none.</summary>
    public (string Origin, string Value)? Source(string input) => Read(input) is { } value ? (value.Origin, value.Text) : null;

    /// <summary>Checks every input the profile marks required, whatever the mapper reads afterwards.</summary>
    public void CheckRequired()
    {
        foreach (var spec in source.Fields.Values.Where(s => s.Required && Read(s.Input) is null))
        {
            throw Missing(spec.Input);
        }
    }

    private InputDefinition? Definition(string input) =>
        Catalog.Sources.TryGetValue(source.Name, out var inputs) && inputs.TryGetValue(input, out var definition) ? definition : null;

    private string RangeOf(string input) => Definition(input)?.Range is { } range ? $"is {range}" : "is a number";

    private (string Text, JsonNode? Node, string Origin)? Read(string input)
    {
        if (!source.Fields.TryGetValue(input, out var spec))
        {
            return null;
        }

        if (spec.Constant is { } constant)
        {
            return (constant, null, $"constant for {input}");
        }

        foreach (var path in spec.Paths)
        {
            var node = Resolve(path);
            var text = node switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v => v.ToJsonString(),
                _ => throw new MappingFailure($"{path} holds an object where a value was expected (rule: {input})"),
            };
            if (!string.IsNullOrWhiteSpace(text))
            {
                return (text, node, path);
            }
        }

        return spec.Default is { } fallback ? (fallback, null, $"default for {input}") : null;
    }

    private JsonNode? Resolve(string path)
    {
        JsonNode? node = record;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private MappingFailure Missing(string input)
    {
        var where = source.Fields.TryGetValue(input, out var spec) && spec.Paths.Count > 0 ? string.Join(" and ", spec.Paths) : input;
        return new MappingFailure($"{where} {(spec?.Paths.Count > 1 ? "are" : "is")} empty (rule: {input} is required)");
    }
}
