using System.Globalization;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Usage;

namespace Connector.Invoicing.Billing;

/// <summary>
/// Usage lines: records reported against a line's consumption schedule, summed per billing period and rated once, in
/// arrears, when a run bills the period. Usage reported for a period already billed never changes a posted document: the
/// next run bills the difference between the rating of the new total and what was billed for the period, as a late line
/// or, when negative, as a credit note against the invoice that billed the period.
/// </summary>
internal sealed partial class BillingBook
{
    private readonly Dictionary<string, UsageRecord> _usage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<UsageRecord>> _usageByLine = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _usageBilled = new(StringComparer.Ordinal);
    private readonly List<UsageReport> _usageReports = [];
    private readonly List<(string UsageId, string? Document)> _usageBilledLog = [];

    /// <summary>The running usage total per (line, period start) as records were reported, for the never-below-zero check.</summary>
    private readonly Dictionary<(string LineId, DateOnly PieceStart), decimal> _usageTotals = [];

    /// <summary>Whether any line is billed by usage.</summary>
    public bool HasUsageLines => _lines.Values.Any(l => l.Consumption is not null);

    /// <summary>Every report in the order it came, duplicates included.</summary>
    public IReadOnlyList<UsageReport> UsageReports => _usageReports;

    /// <summary>
    /// Takes a usage record. A record whose id is known with the same content is a duplicate and changes nothing (false);
    /// the same id with other content is refused (records are never edited: a change is a correction record). A record
    /// that would bring its period's total below 0 is refused.
    /// </summary>
    public bool ReportUsage(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = Line(record.LineId);
        if (line.Consumption is null)
        {
            throw new BillingRuleException($"Usage {record.Id} names line {line.Id}, which is {line.Terms.ChargeType}; usage is reported on usage lines only.");
        }

        if (_usage.TryGetValue(record.Id, out var known))
        {
            if (!known.SameContent(record))
            {
                throw new BillingRuleException($"Usage {record.Id}{From(record)} differs from the record with the same id{From(known)}: a usage record is never edited; report a change as a correction record (a negative quantity) with its own id.");
            }

            _usageReports.Add(new UsageReport(record, known));
            return false;
        }

        if (Rejection(line, record) is null && PieceOf(line, record.Date) is { } piece)
        {
            var key = (line.Id, piece.Period.Start);
            var total = _usageTotals.GetValueOrDefault(key) + record.Quantity;
            if (total < 0m)
            {
                throw new BillingRuleException(Invariant($"Usage {record.Id}{From(record)} would bring the usage of line {line.Id} for {Span(piece.Period)} to {total}; a period's usage total never goes below 0."));
            }

            _usageTotals[key] = total;
        }

        _usage.Add(record.Id, record);
        if (!_usageByLine.TryGetValue(line.Id, out var records))
        {
            _usageByLine[line.Id] = records = [];
        }

        records.Add(record);
        _usageReports.Add(new UsageReport(record, null));
        return true;
    }

    /// <summary>Which document took each usage record into account, in the order the book learned it; a store saves those beyond the count it loaded.</summary>
    internal IReadOnlyList<(string UsageId, string? Document)> UsageBilledLog => _usageBilledLog;

    /// <summary>
    /// Puts back stored usage: records (in the order they were received) of lines in the book, and what billed them.
    /// Returns the records the book refuses (a line that is not a usage line, a period total below 0), with the reason.
    /// </summary>
    internal IReadOnlyList<(UsageRecord Record, string Reason)> RestoreUsage(IEnumerable<UsageRecord> records, IReadOnlyDictionary<string, string?> billed)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(billed);
        var refused = new List<(UsageRecord, string)>();
        foreach (var record in records.Where(r => HasLine(r.LineId)))
        {
            try
            {
                ReportUsage(record);
            }
            catch (BillingRuleException e)
            {
                // Stored usage the book cannot take (a line not billed by usage, a total below 0) is rejected, with the reason.
                refused.Add((record, e.Message));
                _usageReports.Add(new UsageReport(record, null) { Refused = e.Message });
            }
        }

        foreach (var (id, document) in billed)
        {
            if (_usage.ContainsKey(id) && _usageBilled.TryAdd(id, document))
            {
                _usageBilledLog.Add((id, document));
            }
        }

        return refused;
    }

    /// <summary>Where a reported record stands now.</summary>
    public UsageStatus StatusOf(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.DuplicateOf is { } first)
        {
            return new UsageStatus(UsageState.Ignored, Reason: $"duplicate of {first.Source}");
        }

        var record = report.Record;
        if (report.Refused is { } refused)
        {
            return new UsageStatus(UsageState.Rejected, Reason: refused);
        }

        return Rejection(Line(record.LineId), record) is { } why
            ? new UsageStatus(UsageState.Rejected, Reason: why)
            : _usageBilled.TryGetValue(record.Id, out var document)
                ? new UsageStatus(UsageState.Billed, document)
                : new UsageStatus(UsageState.Unbilled);
    }

    /// <summary>Each usage line's billed periods, as the org's usage summaries show them.</summary>
    public IEnumerable<UsageSummary> UsageSummaries()
    {
        foreach (var line in _lines.Values.Where(l => l.Consumption is not null).OrderBy(l => l.Sequence))
        {
            var billed = Accepted(line).Where(r => _usageBilled.ContainsKey(r.Id)).ToList();
            foreach (var piece in _entries.GetValueOrDefault(line.Id, []).GroupBy(e => e.PieceStart))
            {
                var period = new BillingPeriod(piece.Key, piece.Max(e => e.Period.End));
                var invoice = piece.FirstOrDefault(e => e.IsInvoice)?.Document;
                yield return new UsageSummary(line.Id, line.OrderId, line.AccountId, period, billed.Where(r => period.Contains(r.Date)).Sum(r => r.Quantity),
                    line.Consumption!.UnitOfMeasure, Amount.Sum(piece.Select(e => e.Net), line.Currency), invoice);
            }
        }
    }

    /// <summary>The unit price a usage line prints: when one per-unit rate priced its whole quantity (never on a late line, whose quantity is what was added).</summary>
    private static decimal? UsageUnitPrice(UsageDetail usage) =>
        !usage.Late && usage.Tiers is [{ Rate.PricingMethod: PricingMethod.PerUnit } only] ? only.Rate.Price : null;

    /// <summary>Why a record is not billed on its line: a unit of measure or matching attribute that differs, or a date outside the line's service.</summary>
    private static string? Rejection(BookLine line, UsageRecord record)
    {
        if (line.Consumption!.Mismatch(record.UnitOfMeasure, record.MatchingAttribute) is { } mismatch)
        {
            return mismatch;
        }

        var terms = line.Terms;
        return record.Date < terms.Start || (terms.End is { } end && record.Date > end)
            ? Invariant($"dated {record.Date:yyyy-MM-dd}, outside line {line.Id}'s service {terms.Start:yyyy-MM-dd} to {(terms.End is { } e ? e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "open end")}")
            : null;
    }

    private IEnumerable<UsageRecord> Accepted(BookLine line) =>
        _usageByLine.GetValueOrDefault(line.Id, []).Where(r => Rejection(line, r) is null);

    private SchedulePiece? PieceOf(BookLine line, DateOnly date) =>
        ChargeSchedule.Pieces(line.Terms, Schedule(line)).TakeWhile(p => p.Period.Start <= date).Where(p => p.Period.Contains(date)).Select(p => (SchedulePiece?)p).FirstOrDefault();

    /// <summary>
    /// The usage a run bills for one line: each period due by the target date, rated on its total when first billed (a
    /// total of 0 bills nothing but counts as billed), and, for a period billed before, the difference that usage reported
    /// since (or a cancellation) makes: a late line when positive, credits against the period's invoices when negative.
    /// </summary>
    private void RateUsage(BookLine line, DateOnly targetDate, List<Charge> charges, List<Credit> credits)
    {
        var settings = Schedule(line);
        var schedule = line.Consumption!;
        var accepted = Accepted(line).ToList();
        var entries = _entries.GetValueOrDefault(line.Id, []);
        var pieces = ChargeSchedule.DueBy(line.Terms, settings, targetDate).Select(p => (p.Period, p.Whole, Gone: false)).ToList();
        foreach (var billed in entries.GroupBy(e => e.PieceStart).Where(g => !ChargeSchedule.Pieces(line.Terms, settings).TakeWhile(p => p.Period.Start <= g.Key).Any(p => p.Period.Start == g.Key)))
        {
            pieces.Add((new BillingPeriod(billed.Key, billed.Max(e => e.Period.End)), billed.First().Whole, Gone: true));
        }

        foreach (var (period, whole, gone) in pieces)
        {
            var records = gone ? [] : accepted.Where(r => period.Contains(r.Date)).ToList();
            var total = Math.Max(0m, records.Sum(r => r.Quantity));
            var rating = schedule.Rate(total);
            var net = rating.Net(line.Currency);
            var billedEntries = entries.Where(e => e.PieceStart == period.Start).ToList();
            if (billedEntries.Count == 0)
            {
                var detail = new UsageDetail([.. records.Select(r => r.Id)], schedule.UnitOfMeasure, rating.Tiers, Late: false);
                var first = new Charge(line, period, whole, 1m, total, net, $"usage {Span(period)}: {rating.Formula(line.Currency)}", [(line.Id, period.Start, period, 1m, net)]) { Usage = detail };
                charges.Add(total == 0m ? first with { SettlesOnly = "" } : first);
                continue;
            }

            var before = Amount.Sum(billedEntries.Select(e => e.Net), line.Currency);
            var difference = net - before;
            var fresh = records.Where(r => !_usageBilled.ContainsKey(r.Id)).ToList();
            if (fresh.Count == 0 && difference.IsZero)
            {
                continue;
            }

            var added = fresh.Sum(r => r.Quantity);
            var invoices = billedEntries.Where(e => e.IsInvoice && e.Net.IsPositive).Select(e => e.Invoice).Distinct(StringComparer.Ordinal).ToList();
            var late = new UsageDetail([.. fresh.Select(r => r.Id)], schedule.UnitOfMeasure, rating.Tiers, Late: true, before.Value, total);
            var explanation = $"late usage {Span(period)}: {rating.Formula(line.Currency)}; billed before {before.ToPlainString()}{(invoices.Count == 0 ? "" : " on " + string.Join(", ", invoices))} → {difference.ToPlainString()}";
            if (!difference.IsNegative)
            {
                var charge = new Charge(line, period, whole, 1m, added, difference, explanation, [(line.Id, period.Start, period, 1m, difference)]) { Usage = late };
                charges.Add(difference.IsZero ? charge with { SettlesOnly = "" } : charge);
                continue;
            }

            var reason = gone || _cancelled.ContainsKey(line.FamilyId) && line.Terms.End < billedEntries.Max(e => e.Period.End)
                ? Reason(line)
                : CreditNotes.CreditReasons.UsageCorrection(line.Id, Span(period), net.ToPlainString(), before.ToPlainString());
            var owed = -difference;
            for (var i = 0; i < invoices.Count && owed.IsPositive; i++)
            {
                var left = Amount.Sum(billedEntries.Where(e => e.Invoice == invoices[i]).Select(e => e.Net), line.Currency);
                var amount = i == invoices.Count - 1 ? owed : Amount.Min(owed, Amount.Max(left, Amount.Zero(line.Currency)));
                if (!amount.IsPositive)
                {
                    continue;
                }

                var documentLine = billedEntries.First(e => e.IsInvoice && e.Invoice == invoices[i]).DocumentLine;
                credits.Add(new Credit(line, invoices[i], documentLine, period, whole, 1m, added, amount, reason, explanation, [(line.Id, period.Start, period, 1m, -amount)]) { Usage = late });
                owed -= amount;
            }
        }
    }

    /// <summary>Notes which document took a usage line's records into account (null: none, the period rated nothing new).</summary>
    private void MarkUsage(UsageDetail? usage, string? document)
    {
        foreach (var id in usage?.UsageIds ?? [])
        {
            if (_usageBilled.TryAdd(id, document))
            {
                _usageBilledLog.Add((id, document));
            }
        }
    }

    private static string From(UsageRecord record) => record.Source.Length == 0 ? "" : $" ({record.Source})";

    private static string Span(BillingPeriod period) => Invariant($"{period.Start:yyyy-MM-dd}..{period.End:yyyy-MM-dd}");
}

/// <summary>One report of a usage record; <see cref="DuplicateOf"/> is the record reported first when this one repeats it.</summary>
internal sealed record UsageReport(UsageRecord Record, UsageRecord? DuplicateOf)
{
    /// <summary>Why the book refused a stored record (it is rejected); null when it took it.</summary>
    public string? Refused { get; init; }
}
