using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Forecasts;

/// <summary>
/// One line's schedule as the forecast sees it: its terms and account rules, which pieces are billed already, and the
/// first date billing may happen on (a hold's end, a next-billing-date override); <see cref="BillableOn"/> returns null
/// when the piece will not bill (an open-ended hold).
/// </summary>
internal sealed record ForecastLine(
    string AccountId,
    Currency Currency,
    ChargeTerms Terms,
    ScheduleSettings Schedule,
    Func<DateOnly, bool> IsBilled,
    Func<DateOnly, DateOnly?> BillableOn)
{
    /// <summary>For a usage line: what one period is estimated to bill (the average of its last three billed periods); null when nothing was billed yet.</summary>
    public Amount? UsagePerPeriod { get; init; }
}

/// <summary>
/// What runs will bill in one month (net of tax), for one account or (AccountId null) all of them: <see cref="Net"/>
/// is committed (recurring and one-time charges); <see cref="UsageEstimate"/> is usage estimated from each usage line's
/// last three billed periods, an estimate and never part of <see cref="Net"/>.
/// </summary>
internal sealed record ForecastMonth(int Year, int Month, string? AccountId, Currency Currency, Amount Net)
{
    public Amount UsageEstimate { get; init; } = Amount.Zero(Currency);
}

/// <summary>
/// The portfolio forecast ("previsión de cartera"): what the active schedules will bill per month. It walks the same
/// pieces, with the same amounts, that invoice runs bill (<see cref="ChargeSchedule"/>), assuming a run on or after
/// every bill date; anything already due and unbilled falls in the first month.
/// </summary>
internal static class Forecast
{
    public static IReadOnlyList<ForecastMonth> Months(IEnumerable<ForecastLine> lines, DateOnly from, int months, bool byAccount)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var first = new DateOnly(from.Year, from.Month, 1);
        var horizon = first.AddMonths(months);
        var totals = new Dictionary<(DateOnly Month, string? Account, Currency Currency), Amount>();
        var usage = new Dictionary<(DateOnly Month, string? Account, Currency Currency), Amount>();
        var groups = new HashSet<(string? Account, Currency Currency)>();
        foreach (var line in lines)
        {
            groups.Add((byAccount ? line.AccountId : null, line.Currency));
            var estimate = line.Terms.ChargeType == ChargeType.Usage ? line.UsagePerPeriod : null;
            if (line.Terms.Quantity == 0m && estimate is null)
            {
                continue;
            }

            foreach (var piece in ChargeSchedule.Pieces(line.Terms, line.Schedule))
            {
                if (piece.BillDate >= horizon)
                {
                    break;
                }

                if (line.IsBilled(piece.Period.Start) || line.BillableOn(piece.BillDate) is not { } billedOn || billedOn >= horizon)
                {
                    continue;
                }

                var month = billedOn < first ? first : new DateOnly(billedOn.Year, billedOn.Month, 1);
                var key = (month, byAccount ? line.AccountId : null, line.Currency);
                var sums = estimate is null ? totals : usage;
                sums[key] = sums.GetValueOrDefault(key, Amount.Zero(line.Currency)) + (estimate ?? ChargeSchedule.Net(line.Terms, piece.Factor, line.Currency));
            }
        }

        var keys = Enumerable.Range(0, months).Select(i => first.AddMonths(i));
        return
        [
            .. keys.SelectMany(month => groups.OrderBy(g => g.Account, StringComparer.Ordinal).ThenBy(g => g.Currency.Code, StringComparer.Ordinal).Select(g => new ForecastMonth(month.Year, month.Month, g.Account, g.Currency,
                totals.GetValueOrDefault((month, g.Account, g.Currency), Amount.Zero(g.Currency)))
            {
                UsageEstimate = usage.GetValueOrDefault((month, g.Account, g.Currency), Amount.Zero(g.Currency)),
            })),
        ];
    }
}
