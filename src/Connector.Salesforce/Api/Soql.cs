using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Connector.Salesforce.Api;

/// <summary>Safe pieces of SOQL text: literals are escaped and ids and names validated, never concatenated raw.</summary>
internal static partial class Soql
{
    /// <summary>A quoted string literal with SOQL's escapes (backslash, quotes, control characters).</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\b' => @"\b",
                '\f' => @"\f",
                _ => c.ToString(),
            });
        }

        return text.Append('\'').ToString();
    }

    /// <summary>A quoted LIKE pattern matching values that start with <paramref name="prefix"/> (its own % and _ escaped).</summary>
    public static string StartsWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var quoted = Literal(prefix);
        return quoted[..^1].Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%'";
    }

    /// <summary>A quoted record id, after checking it is a 15- or 18-character Salesforce id.</summary>
    public static string Id(string id) =>
        IdPattern().IsMatch(id) ? $"'{id}'" : throw new ArgumentException($"'{id}' is not a Salesforce record id.", nameof(id));

    /// <summary>A datetime literal (unquoted, UTC, as SOQL wants it).</summary>
    public static string DateTime(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An object or field name (optionally a relationship path), after checking it is one.</summary>
    public static string Name(string name) =>
        NamePattern().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a valid object or field name.", nameof(name));

    [GeneratedRegex("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")]
    private static partial Regex NamePattern();
}
