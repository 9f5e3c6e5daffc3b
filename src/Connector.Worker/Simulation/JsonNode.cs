using System.Globalization;
using System.Text.Json;

namespace Connector.Worker.Simulation;

/// <summary>
/// A strict reader over one JSON value that knows its path and writes every problem it meets to a shared list,
/// so a scenario file is checked whole and all problems are reported at once.
/// </summary>
internal sealed class JsonNode(JsonElement element, string path, List<string> problems)
{
    public JsonElement Element { get; } = element;

    public string Path { get; } = path;

    public bool IsObject => Element.ValueKind == JsonValueKind.Object;

    public void Problem(string message) => problems.Add($"{Path}: {message}");

    public void Problem(string key, string message) => problems.Add($"{Path}.{key}: {message}");

    public JsonNode Child(string key) => new(Element.GetProperty(key), $"{Path}.{key}", problems);

    public bool Has(string key) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>True when this is an object whose keys are all allowed; reports each unknown key with a suggestion.</summary>
    public bool ExpectObject(params string[] allowed)
    {
        if (Element.ValueKind != JsonValueKind.Object)
        {
            Problem($"expected an object, found {Describe(Element)}.");
            return false;
        }

        foreach (var property in Element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                var suggestion = Suggest(property.Name, allowed);
                problems.Add($"{Path}.{property.Name}: unknown field{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} Allowed here: {string.Join(", ", allowed)}.");
            }
        }

        return true;
    }

    public string? String(string key, bool required = false)
    {
        if (!Has(key))
        {
            Missing(key, required, "a string");
            return null;
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add($"{Path}.{key}: expected a non-empty string, found {Describe(value)}.");
            return null;
        }

        return value.GetString();
    }

    public DateOnly? Date(string key, bool required = false)
    {
        var text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date >= Connector.Invoicing.Money.BillingLimits.MinDate && date <= Connector.Invoicing.Money.BillingLimits.MaxDate)
            {
                return date;
            }

            problems.Add($"{Path}.{key}: '{text}' is out of range; dates run from {Connector.Invoicing.Money.BillingLimits.MinDate:yyyy-MM-dd} to {Connector.Invoicing.Money.BillingLimits.MaxDate:yyyy-MM-dd}.");
            return null;
        }

        problems.Add($"{Path}.{key}: '{text}' is not a date; write yyyy-MM-dd, such as \"2024-01-15\".");
        return null;
    }

    /// <summary>A decimal written as a JSON string ("19.95"), within the given bounds.</summary>
    public decimal? Decimal(string key, bool required = false, decimal? min = null, decimal? max = null, string? bounds = null)
    {
        if (!Has(key))
        {
            Missing(key, required, "a decimal in a JSON string, such as \"19.95\"");
            return null;
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{Path}.{key}: amounts and quantities are decimals in JSON strings, such as \"19.95\", so no precision is lost; found {Describe(value)}.");
            return null;
        }

        var text = value.GetString()!;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            problems.Add($"{Path}.{key}: '{text}' is not a decimal; use digits with a '.' for the decimal point, such as \"1234.50\".");
            return null;
        }

        if ((min is { } lo && number < lo) || (max is { } hi && number > hi))
        {
            problems.Add($"{Path}.{key}: {text} is out of range; {bounds}.");
            return null;
        }

        if (Math.Abs(number) > Connector.Invoicing.Money.BillingLimits.MaxAmount)
        {
            problems.Add($"{Path}.{key}: {text} is out of range; amounts and quantities are at most {Connector.Invoicing.Money.BillingLimits.MaxAmount.ToString(CultureInfo.InvariantCulture)} either way.");
            return null;
        }

        return number;
    }

    public int? Int(string key, int min, int max, bool required = false)
    {
        if (!Has(key))
        {
            Missing(key, required, $"a whole number from {min} to {max}");
            return null;
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            problems.Add($"{Path}.{key}: expected a whole number from {min} to {max}, found {Describe(value)}.");
            return null;
        }

        return number;
    }

    public bool Bool(string key)
    {
        if (!Has(key))
        {
            return false;
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problems.Add($"{Path}.{key}: expected true or false, found {Describe(value)}.");
        return false;
    }

    public TEnum? Enum<TEnum>(string key, bool required = false)
        where TEnum : struct, Enum
    {
        var text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]))
        {
            return value;
        }

        var names = System.Enum.GetNames<TEnum>();
        var suggestion = Suggest(text, names);
        problems.Add($"{Path}.{key}: '{text}' is not allowed; use one of {string.Join(", ", names)}{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}.");
        return null;
    }

    public IEnumerable<JsonNode> Array(string key, bool required = false)
    {
        if (!Has(key))
        {
            Missing(key, required, "an array");
            yield break;
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{Path}.{key}: expected an array, found {Describe(value)}.");
            yield break;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            yield return new JsonNode(item, $"{Path}.{key}[{index++}]", problems);
        }
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    /// <summary>The closest allowed word, when it is close enough to be a likely typo (the hint every input file gives).</summary>
    public static string? Suggest(string word, IEnumerable<string> allowed) => Connector.Mapping.Profile.Suggestions.Closest(word, allowed);

    private void Missing(string key, bool required, string what)
    {
        if (required)
        {
            problems.Add($"{Path}.{key}: required; expected {what}.");
        }
    }
}
