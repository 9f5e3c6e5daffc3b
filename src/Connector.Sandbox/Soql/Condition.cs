namespace Connector.Sandbox.Soql;

/// <summary>A WHERE condition tree. Literals are string, decimal, bool, null, <see cref="DateTimeOffset"/> or <see cref="DateOnly"/>.</summary>
internal abstract record Condition
{
    public sealed record And(Condition Left, Condition Right) : Condition;

    public sealed record Or(Condition Left, Condition Right) : Condition;

    public sealed record Not(Condition Inner) : Condition;

    public sealed record Compare(string Field, string Operator, object? Value) : Condition;

    public sealed record In(string Field, IReadOnlyList<object?> Values, bool Negated) : Condition;

    /// <summary>A semi-join: the field's value is among the values the subquery selects.</summary>
    public sealed record InSubquery(string Field, SoqlQuery Subquery, bool Negated) : Condition;
}

/// <summary>
/// A relative date literal (TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n, N_DAYS_AGO:n, THIS_MONTH,
/// LAST_MONTH, NEXT_MONTH): a range of days, resolved against the org's today (UTC) when the query runs.
/// </summary>
internal sealed record DateLiteral(string Name, int N)
{
    private static readonly string[] Plain = ["TODAY", "YESTERDAY", "TOMORROW", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH"];
    private static readonly string[] Counted = ["LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO"];

    public static DateLiteral? TryParse(string token)
    {
        var parts = token.ToUpperInvariant().Split(':');
        return parts switch
        {
            [var name] when Plain.Contains(name) => new DateLiteral(name, 0),
            [var name, var n] when Counted.Contains(name) && int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) => new DateLiteral(name, count),
            [var name, ..] when Counted.Contains(name) => throw new SoqlException("MALFORMED_QUERY", $"{name} needs a count, as in {name}:30"),
            _ => null,
        };
    }

    /// <summary>The first and last day the literal covers.</summary>
    public (DateOnly First, DateOnly Last) Range(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        return Name switch
        {
            "TODAY" => (today, today),
            "YESTERDAY" => (today.AddDays(-1), today.AddDays(-1)),
            "TOMORROW" => (today.AddDays(1), today.AddDays(1)),
            "LAST_N_DAYS" => (today.AddDays(-N), today),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(N)),
            "N_DAYS_AGO" => (today.AddDays(-N), today.AddDays(-N)),
            "THIS_MONTH" => (month, month.AddMonths(1).AddDays(-1)),
            "LAST_MONTH" => (month.AddMonths(-1), month.AddDays(-1)),
            _ => (month.AddMonths(1), month.AddMonths(2).AddDays(-1)), // NEXT_MONTH
        };
    }
}
