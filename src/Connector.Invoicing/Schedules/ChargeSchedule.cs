using System.Globalization;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;

namespace Connector.Invoicing.Schedules;

/// <summary>
/// Turns a line into the charges due by a target date. Billing day of month is 1: recurring periods run from the
/// first of a month for the frequency's months; a line starting mid-month gets a leading partial period and a line
/// ending mid-period a trailing one, prorated Monthly + Daily (whole calendar months count 1, the days of a partly
/// covered month count days ÷ days in that month).
/// </summary>
public static class ChargeSchedule
{
    private const int FactorDecimals = 9;
    private const int PeriodPriceDecimals = 6; // Salesforce Billing rounds the billable unit price to six decimals.

    public static IReadOnlyList<ScheduledCharge> DueBy(BillableLine line, Currency currency, DateOnly targetDate)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(currency);

        if (line.ChargeType == ChargeType.OneTime)
        {
            if (line.StartDate > targetDate)
            {
                return [];
            }

            var period = new BillingPeriod(line.StartDate, line.StartDate);
            return [new ScheduledCharge(line.LineId, period, 1m, line.TotalPrice, Amount.Round(line.TotalPrice, currency),
                Invariant($"one-time: total price {line.TotalPrice}"))];
        }

        var frequency = line.Frequency ?? throw new ArgumentException($"Recurring line {line.LineId} has no billing frequency.", nameof(line));
        var months = (int)frequency;
        var periodPrice = PeriodPrice(line, months, out var priceFormula);
        var charges = new List<ScheduledCharge>();

        foreach (var (piece, whole) in Pieces(line.StartDate, line.EndDate, months))
        {
            var due = line.Timing == BillingTiming.Advance ? piece.Start <= targetDate : piece.End <= targetDate;
            if (!due)
            {
                if (piece.Start > targetDate)
                {
                    break;
                }

                continue;
            }

            var factor = piece == whole ? 1m : Factor(piece, months);
            var net = Amount.Round(periodPrice * factor, currency);
            charges.Add(new ScheduledCharge(line.LineId, piece, factor, periodPrice, net,
                Invariant($"{priceFormula}; period {piece} of {whole}; factor {factor:0.000000000}")));
        }

        return charges;
    }

    /// <summary>
    /// The date the line will next be billed after a run on <paramref name="targetDate"/>: the start of its next
    /// unbilled period (Advance) or the end of it (Arrears); null when nothing is left (one-time, or the term is over).
    /// </summary>
    public static DateOnly? NextBillingDate(BillableLine line, DateOnly targetDate)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.ChargeType == ChargeType.OneTime)
        {
            return line.StartDate > targetDate ? line.StartDate : null;
        }

        var months = (int)(line.Frequency ?? throw new ArgumentException($"Recurring line {line.LineId} has no billing frequency.", nameof(line)));
        foreach (var (piece, _) in Pieces(line.StartDate, line.EndDate, months))
        {
            var billedOn = line.Timing == BillingTiming.Advance ? piece.Start : piece.End;
            if (billedOn > targetDate)
            {
                return billedOn;
            }
        }

        return null;
    }

    /// <summary>
    /// The amount billed for one whole period: TotalPrice × frequency months ÷ (prorate multiplier × term months),
    /// Salesforce Billing's billable unit price; evergreen lines are priced per month.
    /// </summary>
    internal static decimal PeriodPrice(BillableLine line, int frequencyMonths, out string formula)
    {
        if (line.EndDate is null)
        {
            formula = Invariant($"evergreen: {line.TotalPrice} × {frequencyMonths} months");
            return decimal.Round(line.TotalPrice * frequencyMonths, PeriodPriceDecimals, MidpointRounding.AwayFromZero);
        }

        var term = line.SubscriptionTermMonths ?? TermMonths(new BillingPeriod(line.StartDate, line.EndDate.Value));
        if (term <= 0 || line.ProrateMultiplier <= 0)
        {
            throw new ArgumentException($"Line {line.LineId} has a non-positive term ({term}) or prorate multiplier ({line.ProrateMultiplier}).", nameof(line));
        }

        formula = Invariant($"{line.TotalPrice} × {frequencyMonths} ÷ ({line.ProrateMultiplier} × {term})");
        return decimal.Round(line.TotalPrice * frequencyMonths / (line.ProrateMultiplier * term), PeriodPriceDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>Months in a period, Monthly + Daily: whole calendar months count 1, others days ÷ days in month.</summary>
    internal static decimal TermMonths(BillingPeriod period)
    {
        var months = 0m;
        var cursor = period.Start;
        while (cursor <= period.End)
        {
            var monthStart = new DateOnly(cursor.Year, cursor.Month, 1);
            var monthEnd = monthStart.AddMonths(1).AddDays(-1);
            var end = period.End < monthEnd ? period.End : monthEnd;
            var days = end.DayNumber - cursor.DayNumber + 1;
            var daysInMonth = monthEnd.Day;
            months += days == daysInMonth ? 1m : (decimal)days / daysInMonth;
            cursor = end.AddDays(1);
        }

        return decimal.Round(months, FactorDecimals, MidpointRounding.AwayFromZero);
    }

    private static decimal Factor(BillingPeriod piece, int frequencyMonths) =>
        decimal.Round(TermMonths(piece) / frequencyMonths, FactorDecimals, MidpointRounding.AwayFromZero);

    /// <summary>The pieces of a line's service, each with the whole billing period it belongs to.</summary>
    private static IEnumerable<(BillingPeriod Piece, BillingPeriod Whole)> Pieces(DateOnly start, DateOnly? end, int months)
    {
        var anchor = start.Day == 1 ? start : new DateOnly(start.Year, start.Month, 1).AddMonths(1);
        var wholeStart = anchor.AddMonths(start == anchor ? 0 : -months);
        while (end is null || wholeStart <= end.Value)
        {
            var wholeEnd = wholeStart.AddMonths(months).AddDays(-1);
            var pieceStart = wholeStart < start ? start : wholeStart;
            var pieceEnd = end is { } e && e < wholeEnd ? e : wholeEnd;
            yield return (new BillingPeriod(pieceStart, pieceEnd), new BillingPeriod(wholeStart, wholeEnd));
            wholeStart = wholeStart.AddMonths(months);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
