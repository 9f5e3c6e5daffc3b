using System.Globalization;

namespace Connector.Invoicing.Numbering;

/// <summary>
/// A document number series: a prefix, optionally with <c>{yyyy}</c> for one series per year of issue
/// (<c>INV-{yyyy}</c> numbers <c>INV-2026-000001</c>, and starts again at 1 in 2027). Numbers are the resolved prefix,
/// a dash and a six-digit sequence, gapless within each resolved prefix.
/// </summary>
internal sealed record NumberSeries
{
    public const string YearToken = "{yyyy}";

    public NumberSeries(string pattern)
    {
        if (!IsValid(pattern))
        {
            throw new ArgumentException($"'{pattern}' is not a number series: use 1-20 letters, digits, '-', '_' or '/', optionally with {YearToken}.", nameof(pattern));
        }

        Pattern = pattern;
    }

    public string Pattern { get; }

    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return false;
        }

        var plain = pattern.Replace(YearToken, "Y", StringComparison.Ordinal);
        return plain.Length <= 20 && plain.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/');
    }

    /// <summary>The series a document issued on <paramref name="issueDate"/> is numbered in.</summary>
    public string Resolve(DateOnly issueDate) =>
        Pattern.Replace(YearToken, issueDate.Year.ToString("0000", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static string Format(string resolvedSeries, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{resolvedSeries}-{sequence:000000}");
}
