using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Connector.Mapping.Transform;

/// <summary>Reads one mapped input from a Salesforce record by its field path, with the rule that applies.</summary>
internal sealed class RecordReader(JsonObject record, IReadOnlyDictionary<string, string> fields)
{
    public string? Path(string input) => fields.TryGetValue(input, out var path) ? path : null;

    public string? Text(string input)
    {
        var node = Node(input);
        return node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => Blank(value.GetValue<string>()),
            JsonValue value => value.ToJsonString(),
            _ => throw new MappingFailure($"{Path(input)} holds an object where a value was expected (rule: {input})"),
        };
    }

    public string RequiredText(string input) =>
        Text(input) ?? throw new MappingFailure($"{Path(input) ?? input} is empty (rule: {input} is required)");

    public decimal? Decimal(string input)
    {
        var node = Node(input);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            return value.GetValue<decimal>();
        }

        var text = Text(input);
        return text is null ? null
            : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new MappingFailure($"{Path(input)} = '{text}' is not a number (rule: {input})");
    }

    public decimal RequiredDecimal(string input) =>
        Decimal(input) ?? throw new MappingFailure($"{Path(input) ?? input} is empty (rule: {input} is required)");

    public DateOnly? Date(string input)
    {
        var text = Text(input);
        return text is null ? null
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : throw new MappingFailure($"{Path(input)} = '{text}' is not a date in yyyy-MM-dd (rule: {input})");
    }

    public DateOnly RequiredDate(string input) =>
        Date(input) ?? throw new MappingFailure($"{Path(input) ?? input} is empty (rule: {input} is required)");

    private JsonNode? Node(string input)
    {
        if (Path(input) is not { } path)
        {
            return null;
        }

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

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
