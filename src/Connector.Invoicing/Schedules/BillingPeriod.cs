using System.Globalization;

namespace Connector.Invoicing.Schedules;

/// <summary>
/// An inclusive range of calendar dates (a service period). End is part of the period and is never before Start.
/// Equality is value equality on (Start, End).
/// </summary>
internal readonly record struct BillingPeriod
{
    public BillingPeriod(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"Period end {end:O} is before start {start:O}.", nameof(end));
        }

        (Start, End) = (start, end);
    }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    /// <summary>Length in days, counting both ends; always at least 1.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => Start <= date && date <= End;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Start:yyyy-MM-dd}, {End:yyyy-MM-dd}]");
}
