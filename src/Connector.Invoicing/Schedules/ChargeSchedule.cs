using System.Globalization;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Schedules;

/// <summary>
/// Lays a line's service out in billing periods and prices each piece. Periods start on the account's billing day:
/// a line that starts on it has only whole periods; one that starts on another day first bills a leading partial
/// period up to the day before the next billing day; from there periods of 1, 3, 6 or 12 months follow (anniversary
/// alignment, not calendar quarters). A line whose end falls inside a period ends with a trailing partial period.
/// A run on a target date bills Advance pieces that start on or before it, Arrears pieces that end before it, and
/// one-time lines that start on or before it.
/// </summary>
internal static class ChargeSchedule
{
    /// <summary>Every piece of the line's service in date order; endless for an evergreen line, so callers bound it.</summary>
    public static IEnumerable<SchedulePiece> Pieces(ChargeTerms terms, ScheduleSettings settings) => Pieces(terms, settings, null);

    /// <summary>
    /// The pieces of the line's service in date order, less whole periods at its start that end before
    /// <paramref name="from"/> (null: none left out): a suffix of <see cref="Pieces(ChargeTerms, ScheduleSettings)"/>
    /// holding every piece whose whole period ends on or after it, and perhaps a period more. The periods left out are
    /// stepped over without being built: a run over a line billed for years starts where its open pieces are.
    /// </summary>
    public static IEnumerable<SchedulePiece> Pieces(ChargeTerms terms, ScheduleSettings settings, DateOnly? from)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(settings);
        if (terms.End is { } last && last < terms.Start)
        {
            yield break;
        }

        if (terms.ChargeType == ChargeType.OneTime)
        {
            var once = new BillingPeriod(terms.Start, terms.Start);
            yield return new SchedulePiece(once, once, 1m, terms.Start);
            yield break;
        }

        var months = terms.MonthsPerPeriod;
        var gridStart = terms.GridStart is { } g && g <= terms.Start ? g : terms.Start;
        var anchor = settings.FirstBillingDateOnOrAfter(gridStart);
        var wholeStart = anchor == gridStart ? anchor : settings.AddBillingMonths(anchor, -months);
        if (from is { } first && first > wholeStart)
        {
            // Billing months add up (a billing date lies in its month), so whole periods can be skipped at once. Every
            // period skipped ends before the first day of the month before from's at the latest.
            var skip = ((((first.Year - wholeStart.Year) * 12) + first.Month - wholeStart.Month) / months) - 1;
            wholeStart = skip > 0 ? settings.AddBillingMonths(wholeStart, skip * months) : wholeStart;
        }

        while (terms.End is not { } end || wholeStart <= end)
        {
            var nextStart = settings.AddBillingMonths(wholeStart, months);
            var wholeEnd = nextStart.AddDays(-1);
            if (wholeEnd >= terms.Start)
            {
                var whole = new BillingPeriod(wholeStart, wholeEnd);
                var piece = new BillingPeriod(
                    wholeStart < terms.Start ? terms.Start : wholeStart,
                    terms.End is { } e && e < wholeEnd ? e : wholeEnd);
                var billDate = terms.Timing == BillingTiming.Advance ? piece.Start : piece.End.AddDays(1);
                yield return new SchedulePiece(piece, whole, Proration.Factor(piece, whole, months, settings), billDate);
            }

            wholeStart = nextStart;
        }
    }

    /// <summary>The pieces a run with this target date bills (before removing those billed already).</summary>
    public static IEnumerable<SchedulePiece> DueBy(ChargeTerms terms, ScheduleSettings settings, DateOnly targetDate, DateOnly? from = null) =>
        Pieces(terms, settings, from).TakeWhile(p => p.BillDate <= targetDate); // bill dates only grow

    /// <summary>The net amount of a piece: period amount × factor, rounded half away from zero to the minor unit.</summary>
    public static Amount Net(ChargeTerms terms, decimal factor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return Amount.Round(terms.PeriodAmount * factor, currency);
    }

    /// <summary>How a piece's amount was computed, for explanations.</summary>
    public static string Formula(ChargeTerms terms, SchedulePiece piece, ScheduleSettings settings, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(settings);
        var net = Net(terms, piece.Factor, currency).ToPlainString();
        if (terms.ChargeType == ChargeType.OneTime)
        {
            return Invariant($"one-time: {terms.Quantity} × {terms.UnitPrice} = {net}");
        }

        var share = piece.Factor == 1m
            ? "whole period"
            : Invariant($"{piece.Period} of {piece.Whole}, {settings.Proration} factor {piece.Factor:0.000000000}");
        return Invariant($"{terms.Quantity} × {terms.UnitPrice} per {terms.Frequency} period × {piece.Factor:0.000000000} ({share}) = {net}");
    }

    /// <summary>
    /// The first date after <paramref name="targetDate"/> on which a run would bill the line; null when nothing is left.
    /// </summary>
    public static DateOnly? NextBillingDate(ChargeTerms terms, ScheduleSettings settings, DateOnly targetDate)
    {
        foreach (var piece in Pieces(terms, settings))
        {
            if (piece.BillDate > targetDate)
            {
                return piece.BillDate;
            }
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
