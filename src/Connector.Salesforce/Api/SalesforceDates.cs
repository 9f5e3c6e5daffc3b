using System.Globalization;

namespace Connector.Salesforce.Api;

/// <summary>Salesforce's datetime text (<c>2026-01-15T10:00:00.000+0000</c>) as an instant in UTC.</summary>
internal static class SalesforceDates
{
    public static DateTimeOffset ParseDateTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The REST API writes offsets without a colon (+0000), which DateTimeOffset does not read on its own.
        var normalized = text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && text[^4..].All(char.IsAsciiDigit)
            ? text[..^2] + ":" + text[^2..]
            : text;
        return DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
