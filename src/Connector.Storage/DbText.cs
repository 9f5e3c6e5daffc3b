using System.Globalization;

namespace Connector.Storage;

/// <summary>
/// How values without a portable SQL type are stored, identically on SQLite and SQL Server: dates as
/// <c>yyyy-MM-dd</c>, instants as fixed-width UTC ISO 8601 (sortable as text), decimals as invariant text.
/// Money never goes through here: it is stored as integer minor units.
/// </summary>
internal static class DbText
{
    /// <summary>Recently written dates by day number modulo its size; a run writes a few hundred distinct dates a million times.</summary>
    private static readonly DateText?[] RecentDates = new DateText?[4096];

    /// <summary>
    /// <c>yyyy-MM-dd</c>, written by hand (a run writes a date per column of hundreds of thousands of rows), and the same
    /// string given again for a date written recently, so that a run's rows share a few hundred strings.
    /// </summary>
    public static string Date(DateOnly date)
    {
        var day = date.DayNumber;
        var slot = day & (RecentDates.Length - 1);
        if (RecentDates[slot] is { } recent && recent.DayNumber == day)
        {
            return recent.Text;
        }

        var text = string.Create(10, date, static (chars, d) =>
        {
            Write(chars[..4], d.Year);
            chars[4] = '-';
            Write(chars.Slice(5, 2), d.Month);
            chars[7] = '-';
            Write(chars.Slice(8, 2), d.Day);
        });
        RecentDates[slot] = new DateText(day, text);
        return text;
    }

    private static void Write(Span<char> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    private sealed record DateText(int DayNumber, string Text);

    public static string? Date(DateOnly? date) => date is { } d ? Date(d) : null;

    /// <summary>
    /// A stored date. The exact form the store writes (ten ASCII characters) is read by hand, since a book's load reads
    /// hundreds of thousands; anything else, or a day that does not exist, goes through <c>DateOnly.ParseExact</c>
    /// and so throws its <see cref="FormatException"/>.
    /// </summary>
    public static DateOnly ParseDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && Digits(text, 0, 4) is var year and >= 1 && Digits(text, 5, 2) is var month and >= 1 and <= 12
            && Digits(text, 8, 2) is var day and >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, day);
        }

        return DateOnly.ParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The number written by <paramref name="count"/> ASCII digits from <paramref name="start"/>; -1 when one is not a digit.</summary>
    private static int Digits(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    public static DateOnly? ParseNullableDate(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseDate(text);

    public static string Instant(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Recently written decimals by hash modulo its size, with their exact bits (1.0 and 1.00 are equal but print apart).</summary>
    private static readonly DecimalText?[] RecentDecimals = new DecimalText?[1024];

    /// <summary>
    /// Invariant text, the same string given again for a decimal of the same bits written recently: each invoice line
    /// stores five decimals (quantity, price, factor, rates) and each billing entry one, mostly a few recurring values.
    /// </summary>
    public static string Decimal(decimal value)
    {
        var slot = value.GetHashCode() & (RecentDecimals.Length - 1);
        var recent = RecentDecimals[slot];
        if (recent is not null && SameBits(recent.Value, value))
        {
            return recent.Text;
        }

        var text = value.ToString(CultureInfo.InvariantCulture);
        RecentDecimals[slot] = new DecimalText(value, text);
        return text;
    }

    private static bool SameBits(decimal left, decimal right)
    {
        Span<int> a = stackalloc int[4];
        Span<int> b = stackalloc int[4];
        decimal.GetBits(left, a);
        decimal.GetBits(right, b);
        return a.SequenceEqual(b);
    }

    private sealed record DecimalText(decimal Value, string Text);

    public static string? Decimal(decimal? value) => value is { } v ? Decimal(v) : null;

    public static decimal ParseDecimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static decimal? ParseNullableDecimal(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseDecimal(text);
}
