using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Documents.Languages;

/// <summary>
/// The words and formats of documents in one language, read from the language's resource file (Languages/xx.json,
/// embedded). Numbers, dates and amounts are formatted from the file's own separators and patterns rather than the
/// machine's ICU data, so a document prints the same on every machine and version (ICU's Spanish, for one, writes
/// 1234,56 without a group separator below 10,000; invoices here write 1.234,56).
/// </summary>
internal sealed class DocumentLanguage
{
    /// <summary>The languages documents are printed in; the first is the fallback.</summary>
    public static readonly IReadOnlyList<string> Supported = ["en", "es", "de", "da"];

    private static readonly FrozenDictionary<string, DocumentLanguage> Languages =
        Supported.ToFrozenDictionary(code => code, code => new DocumentLanguage(code, Load(code)), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> CountryLanguages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ES"] = "es", ["ESP"] = "es", ["Spain"] = "es", ["España"] = "es",
        ["DE"] = "de", ["DEU"] = "de", ["Germany"] = "de", ["Deutschland"] = "de",
        ["AT"] = "de", ["AUT"] = "de", ["Austria"] = "de", ["Österreich"] = "de",
        ["LI"] = "de", ["Liechtenstein"] = "de",
        ["DK"] = "da", ["DNK"] = "da", ["Denmark"] = "da", ["Danmark"] = "da",
        ["GB"] = "en", ["GBR"] = "en", ["United Kingdom"] = "en", ["IE"] = "en", ["Ireland"] = "en",
        ["US"] = "en", ["USA"] = "en", ["United States"] = "en",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, string> _texts;

    private DocumentLanguage(string code, FrozenDictionary<string, string> texts) => (Code, _texts) = (code, texts);

    public string Code { get; }

    /// <summary>Every key of the resource file.</summary>
    public IEnumerable<string> Keys => _texts.Keys;

    /// <summary>The language with this code; null when documents are not printed in it.</summary>
    public static DocumentLanguage? Find(string? code) =>
        code is not null && Languages.TryGetValue(code.Trim().ToLowerInvariant(), out var language) ? language : null;

    /// <summary>The language with this code, or English.</summary>
    public static DocumentLanguage Get(string? code) => Find(code) ?? Languages["en"];

    /// <summary>
    /// The language a buyer's documents are printed in: the account's own (when supported), else the one of its billing
    /// country, else <paramref name="fallback"/>.
    /// </summary>
    public static string Choose(string? accountLanguage, string? country, string fallback) =>
        Find(accountLanguage)?.Code
            ?? (country is not null && CountryLanguages.TryGetValue(country.Trim(), out var byCountry) ? byCountry : null)
            ?? Get(fallback).Code;

    /// <summary>The text of <paramref name="key"/> with each {name} replaced by its value.</summary>
    public string Text(string key, params (string Name, string Value)[] values)
    {
        var text = _texts.TryGetValue(key, out var found) ? found : throw new KeyNotFoundException($"Languages/{Code}.json has no '{key}'.");
        if (values.Length == 0)
        {
            return text;
        }

        // One pass over the text: a value is put in as it is, never searched for placeholders itself (a product named
        // "{order}" prints so), and a placeholder no value names stays as written.
        var result = new StringBuilder(text.Length + values.Sum(v => v.Value.Length));
        var at = 0;
        while (text.IndexOf('{', at) is var open and >= 0)
        {
            var close = text.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            var index = Named(values, text.AsSpan(open + 1, close - open - 1));
            if (index < 0)
            {
                result.Append(text, at, open + 1 - at);
                at = open + 1;
                continue;
            }

            result.Append(text, at, open - at).Append(values[index].Value);
            at = close + 1;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    private static int Named((string Name, string Value)[] values, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (name.SequenceEqual(values[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The placeholders ({name}) the text of <paramref name="key"/> uses.</summary>
    public IReadOnlySet<string> Placeholders(string key) =>
        System.Text.RegularExpressions.Regex.Matches(_texts[key], "\\{([a-zA-Z]+)\\}").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>An amount with its currency's minor digits, grouped, and its symbol where the file names one.</summary>
    public string Money(Amount amount) => Money(amount.Value, amount.Currency);

    public string Money(decimal value, Currency currency)
    {
        var symbol = _texts.TryGetValue("currency." + currency.Code, out var s) ? s : currency.Code;
        var digits = value.ToString("N" + currency.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Text("format.money", ("amount", Separators(digits)), ("currency", symbol));
    }

    /// <summary>A quantity or rate as written: no trailing zeros, no grouping (a quantity of 18250 reads as such).</summary>
    public string Number(decimal value) => Separators(value.ToString("0.#########", CultureInfo.InvariantCulture));

    /// <summary>A percentage such as 21 % or 10,5 %.</summary>
    public string Percent(decimal value) => Number(value) + "%";

    public string Date(DateOnly date) => date.ToString(_texts["format.date"], CultureInfo.InvariantCulture);

    /// <summary>Swaps the invariant separators (1,234.5) for the language's, in one pass.</summary>
    private string Separators(string invariant)
    {
        var group = _texts["format.groupSeparator"];
        var point = _texts["format.decimalSeparator"];
        var result = new StringBuilder(invariant.Length + 4);
        foreach (var c in invariant)
        {
            result.Append(c switch { ',' => group, '.' => point, _ => c.ToString() });
        }

        return result.ToString();
    }

    private static FrozenDictionary<string, string> Load(string code)
    {
        var resource = $"Connector.Invoicing.Languages.{code}.json";
        using var stream = typeof(DocumentLanguage).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded language file {resource} is missing.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
