namespace Connector.Invoicing.Schedules;

/// <summary>
/// Proration factors: the share of a whole billing period that a piece of it covers, kept at 9 decimals (half away from
/// zero). A whole period's factor is exactly 1. With <see cref="ProrationMethod.MonthlyDaily"/> and
/// <see cref="ProrationMethod.Daily"/> the factors of the pieces of one period add up to 1 (before rounding).
/// </summary>
internal static class Proration
{
    public const int FactorDecimals = 9;

    public static decimal Factor(BillingPeriod piece, BillingPeriod whole, int monthsPerPeriod, ScheduleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (piece == whole)
        {
            return 1m;
        }

        if (piece.Start < whole.Start || piece.End > whole.End)
        {
            throw new ArgumentException($"Piece {piece} is not inside period {whole}.", nameof(piece));
        }

        var raw = settings.Proration switch
        {
            ProrationMethod.Daily => (decimal)piece.Days / whole.Days,
            ProrationMethod.MonthlyDaily => BillingMonths(piece, settings) / monthsPerPeriod,
            ProrationMethod.Fixed30 => Math.Min(1m, piece.Days / (30m * monthsPerPeriod)),
            ProrationMethod.Thirty360 => Math.Min(1m, Days360(piece) / (30m * monthsPerPeriod)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Proration, "Unknown proration method."),
        };
        return decimal.Round(raw, FactorDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Billing months in a period: each billing month (from one billing date to the day before the next) that the
    /// period covers whole counts 1, a partly covered one its covered days ÷ its days.
    /// </summary>
    public static decimal BillingMonths(BillingPeriod period, ScheduleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var months = 0m;
        var monthStart = settings.BillingDateIn(period.Start.Year, period.Start.Month);
        if (monthStart > period.Start)
        {
            monthStart = settings.AddBillingMonths(monthStart, -1);
        }

        while (monthStart <= period.End)
        {
            var next = settings.AddBillingMonths(monthStart, 1);
            var monthEnd = next.AddDays(-1);
            var from = period.Start > monthStart ? period.Start : monthStart;
            var to = period.End < monthEnd ? period.End : monthEnd;
            var covered = to.DayNumber - from.DayNumber + 1;
            var days = monthEnd.DayNumber - monthStart.DayNumber + 1;
            months += covered == days ? 1m : (decimal)covered / days;
            monthStart = next;
        }

        return months;
    }

    /// <summary>Days from start to end inclusive, every month counted as 30 days (the 31st and February's end count as the 30th).</summary>
    public static int Days360(BillingPeriod period)
    {
        var d1 = Day30(period.Start);
        var d2 = Day30(period.End);
        return ((period.End.Year - period.Start.Year) * 360) + ((period.End.Month - period.Start.Month) * 30) + (d2 - d1) + 1;
    }

    private static int Day30(DateOnly date) =>
        date.Day == DateTime.DaysInMonth(date.Year, date.Month) || date.Day > 30 ? 30 : date.Day;
}
