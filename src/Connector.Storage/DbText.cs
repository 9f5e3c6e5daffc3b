using System.Globalization;

namespace Connector.Storage;

/// <summary>
/// How values without a portable SQL type are stored, identically on SQLite and SQL Server: dates as
/// <c>yyyy-MM-dd</c>, instants as fixed-width UTC ISO 8601 (sortable as text), decimals as invariant text.
/// Money never goes through here: it is stored as integer minor units.
/// </summary>
internal static class DbText
{
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date) => date is { } d ? Date(d) : null;

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseNullableDate(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseDate(text);

    public static string Instant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Decimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Decimal(decimal? value) => value is { } v ? Decimal(v) : null;

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static decimal? ParseNullableDecimal(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseDecimal(text);
}
