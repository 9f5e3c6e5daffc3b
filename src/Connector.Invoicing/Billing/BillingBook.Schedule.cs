using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Billing;

/// <summary>When lines bill next: bill now, next billing dates, and the forecast, all through the schedule pieces runs use.</summary>
internal sealed partial class BillingBook
{
    /// <summary>
    /// Bill now: a run for one account whose target date is the earliest date anything of it is pending, so it bills the
    /// next period (and anything overdue) at once; an empty run when nothing is pending.
    /// </summary>
    public RunResult BillNow(DateOnly on, string accountId)
    {
        _ = Account(accountId);
        var pending = _lines.Values
            .Where(l => l.AccountId == accountId && Bills(l) && !IsHeld(l, on))
            .Select(l => Pieces(l).Where(p => !IsBilled(l.Id, p.Period.Start)).Select(p => (DateOnly?)Later(p.BillDate, BillFrom(l))).FirstOrDefault())
            .Where(d => d is not null)
            .Min();
        return Run(on, pending ?? DateOnly.MinValue, accounts: new HashSet<string>([accountId], StringComparer.Ordinal));
    }

    /// <summary>The first date after <paramref name="after"/> a run would bill any line of the order; null when nothing is left.</summary>
    public DateOnly? NextBillingDate(string orderId, DateOnly after) =>
        _linesByOrder.GetValueOrDefault(orderId, []).Where(Bills)
            .Select(l => Pieces(l).Where(p => !IsBilled(l.Id, p.Period.Start)).Select(p => (DateOnly?)Later(p.BillDate, BillFrom(l))).FirstOrDefault(d => d > after))
            .Where(d => d is not null)
            .Min();

    /// <summary>
    /// Per account of the book, after a run that took every line of it (no invoice batch, no line filter), both dates a
    /// save keeps, from one walk of each line's pieces to its first unbilled one:
    /// <list type="bullet">
    /// <item><description><c>BillsOn</c>: the earliest target date a run would bill anything of it again, or null when
    /// nothing is left to bill. Such a run settled every correction and all usage it could rate, so what is left is each
    /// line's first unbilled piece (no earlier than its billing-date override), usage reported for a period a run skipped
    /// because of that override, and held lines, which count as due now (a hold is rare; it only costs a load). Inputs
    /// that change later (a line, an amendment, usage) are the store's to notice.</description></item>
    /// <item><description><c>SettledBefore</c>: the first day a run may still need its billing entries from: the earliest
    /// start, over its recurring and one-time lines, of a piece not billed yet or charged other than it is due now. Every
    /// piece before it is settled, and stays so while the account's inputs and the settings do not change; an amendment's
    /// piece looks up the invoice of its family's whole period, which ends on or after it. <see cref="DateOnly.MaxValue"/>:
    /// all settled.</description></item>
    /// </list>
    /// </summary>
    internal IReadOnlyDictionary<string, (DateOnly? BillsOn, DateOnly SettledBefore)> NextDates()
    {
        var next = _accounts.Keys.ToDictionary(a => a, _ => ((DateOnly?)null, DateOnly.MaxValue), StringComparer.Ordinal);
        foreach (var line in _lines.Values)
        {
            var (billsOn, settledBefore) = next.GetValueOrDefault(line.AccountId, (null, DateOnly.MaxValue));
            var (pending, open) = NextDates(line);
            next[line.AccountId] = (pending is { } day && (billsOn is not { } known || day < known) ? day : billsOn, open < settledBefore ? open : settledBefore);
        }

        return next;
    }

    /// <summary>The bill dates of <see cref="NextDates()"/> alone.</summary>
    public IReadOnlyDictionary<string, DateOnly?> NextBillDates() => NextDates().ToDictionary(n => n.Key, n => n.Value.BillsOn, StringComparer.Ordinal);

    /// <summary>A line's part of <see cref="NextDates()"/>: when it bills next, and the first day its entries are needed from (a usage line's: never).</summary>
    private (DateOnly? Pending, DateOnly Open) NextDates(BookLine line)
    {
        if (line.Consumption is not null)
        {
            return (PendingFrom(line), DateOnly.MaxValue);
        }

        var unbilled = Pieces(line).Select(p => (SchedulePiece?)p).FirstOrDefault(p => !IsBilled(line.Id, p!.Value.Period.Start));
        var open = unbilled?.Period.Start ?? DateOnly.MaxValue;
        foreach (var adjustment in Reconcile(line))
        {
            open = adjustment.PieceStart < open ? adjustment.PieceStart : open;
        }

        var pending = _holds.Exists(h => h.FamilyId == line.FamilyId) ? DateOnly.MinValue
            : Bills(line) && unbilled is { } piece ? Later(piece.BillDate, BillFrom(line))
            : (DateOnly?)null;
        return (pending, open);
    }

    /// <summary>When a usage line bills next (<see cref="NextDates()"/>).</summary>
    private DateOnly? PendingFrom(BookLine line)
    {
        if (_holds.Exists(h => h.FamilyId == line.FamilyId))
        {
            return DateOnly.MinValue;
        }

        // Usage reported late, for a period already billed, is billed by the next run that rates the line.
        if (Accepted(line).Any(r => !_usageBilled.ContainsKey(r.Id) && PieceOf(line, r.Date) is { } piece && IsBilled(line.Id, piece.Period.Start)))
        {
            return Later(DateOnly.MinValue, BillFrom(line));
        }

        return Pieces(line).Where(p => !IsBilled(line.Id, p.Period.Start)).Select(p => (DateOnly?)Later(p.BillDate, BillFrom(line))).FirstOrDefault();
    }

    private bool IsSettled(string lineId, DateOnly pieceStart) =>
        _settledBefore.Count > 0 && _lines.TryGetValue(lineId, out var line) && line.Consumption is null
        && _settledBefore.TryGetValue(line.AccountId, out var before) && pieceStart < before;

    /// <summary>What runs will bill per month from <paramref name="from"/>, through the same schedule pieces runs use.</summary>
    public IReadOnlyList<Forecasts.ForecastMonth> Forecast(DateOnly from, int months, bool byAccount) =>
        Forecasts.Forecast.Months(
            _lines.Values.OrderBy(l => l.Sequence).Select(l => new Forecasts.ForecastLine(l.AccountId, l.Currency, l.Terms, Schedule(l),
                start => IsBilled(l.Id, start), billDate => BillableOn(l, billDate)) { UsagePerPeriod = l.Consumption is null ? null : UsagePerPeriod(l) }),
            from, months, byAccount);

    /// <summary>A usage line's estimate per period: the average net of its last three billed periods; null before any was billed.</summary>
    private Amount? UsagePerPeriod(BookLine line)
    {
        var periods = _entries.GetValueOrDefault(line.Id, []).GroupBy(e => e.PieceStart).OrderBy(g => g.Key).TakeLast(3)
            .Select(g => Amount.Sum(g.Select(e => e.Net), line.Currency)).ToList();
        return periods.Count == 0 ? null : Amount.Round(periods.Sum(p => p.Value) / periods.Count, line.Currency);
    }

    /// <summary>Whether the line's schedule charges anything: a quantity, or usage.</summary>
    private static bool Bills(BookLine line) => line.Terms.Quantity != 0m || line.Consumption is not null;

    /// <summary>The first day a run may bill a piece due on <paramref name="billDate"/>: after holds and the billing-date override; null while held without end.</summary>

    private DateOnly? BillableOn(BookLine line, DateOnly billDate)
    {
        var day = Later(billDate, BillFrom(line));
        foreach (var hold in _holds.Where(h => h.FamilyId == line.FamilyId).OrderBy(h => h.From))
        {
            if (hold.IsActiveOn(day))
            {
                var end = hold.ReleasedOn ?? hold.Until?.AddDays(1);
                if (end is null)
                {
                    return null;
                }

                day = end.Value;
            }
        }

        return day;
    }
}
