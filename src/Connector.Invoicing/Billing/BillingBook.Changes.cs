using System.Globalization;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Billing;

internal sealed partial class BillingBook
{
    /// <summary>
    /// An amending order, as Salesforce CPQ makes it: each revision sets the revised line's total quantity from its start
    /// date; the book adds a delta line (new − current quantity) that runs on the revised line's periods to its end
    /// (co-termination). Already billed periods are corrected by the next run: an invoice line for an increase, a
    /// credit note against the invoice that billed the period for a decrease.
    /// </summary>
    public void Amend(string orderId, IReadOnlyList<Revision> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        var planned = new List<BookLine>();
        foreach (var revision in revisions)
        {
            RequireNewLineId(revision.Id);
            var revised = Line(revision.Revises);
            var root = _lines[revised.FamilyId];
            if (root.Terms.ChargeType != ChargeType.Recurring)
            {
                throw new BillingRuleException(root.Terms.ChargeType == ChargeType.Usage
                    ? $"Line {revision.Revises} is a usage line, which an amendment cannot revise; cancel it and add a new line with the new schedule."
                    : $"Line {revision.Revises} is one-time; only recurring lines can be amended. Add a new line instead.");
            }

            if (revision.Start < root.Terms.Start || (root.Terms.End is { } end && revision.Start > end))
            {
                throw new BillingRuleException($"Revision {revision.Id} starts on {revision.Start:yyyy-MM-dd}, outside line {root.Id}'s service {root.Terms.Start:yyyy-MM-dd} to {root.Terms.End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "open end"}.");
            }

            if (revision.Quantity < 0m)
            {
                throw new BillingRuleException($"Revision {revision.Id} sets quantity {revision.Quantity}; a quantity is 0 or more (0 ends the line's billing from the revision's start).");
            }

            var delta = revision.Quantity - FamilyQuantityOn(root.FamilyId, revision.Start);
            var terms = ChargeTerms.PerUnit(revision.Id, ChargeType.Recurring, root.Terms.Frequency, root.Terms.Timing, revision.Start, root.Terms.End,
                delta, revision.UnitPrice ?? root.Terms.UnitPrice, gridStart: root.Terms.Start);
            planned.Add(new BookLine
            {
                Id = revision.Id, AccountId = root.AccountId, OrderId = orderId, Product = root.Product, Terms = terms, Currency = root.Currency,
                Batch = root.Batch, TaxRate = root.TaxRate, TaxExemptReason = root.TaxExemptReason, WithholdingPercent = root.WithholdingPercent,
                FamilyId = root.FamilyId, Revises = root.Id, Sequence = _lines.Count + planned.Count,
            });
        }

        foreach (var line in planned)
        {
            Add(line);
        }
    }

    /// <summary>Holds billing of a line (and its amendments) from <paramref name="from"/> to <paramref name="until"/> inclusive, or until released.</summary>
    public void Hold(string lineId, DateOnly from, DateOnly? until)
    {
        var family = Line(lineId).FamilyId;
        if (until is { } u && u < from)
        {
            throw new BillingRuleException($"A hold until {u:yyyy-MM-dd} ends before it starts on {from:yyyy-MM-dd}.");
        }

        _holds.Add(new Hold(family, from, until));
    }

    /// <summary>Ends every hold on the line's family: runs from <paramref name="on"/> bill what the hold kept back.</summary>
    public void Release(string lineId, DateOnly on)
    {
        var family = Line(lineId).FamilyId;
        var open = _holds.Select((h, i) => (h, i)).Where(x => x.h.FamilyId == family && x.h.ReleasedOn is null && (x.h.Until is null || x.h.Until >= on)).ToList();
        if (open.Count == 0)
        {
            throw new BillingRuleException($"Line {lineId} has no hold to release on {on:yyyy-MM-dd}.");
        }

        foreach (var (hold, index) in open)
        {
            _holds[index] = hold with { ReleasedOn = on };
        }
    }

    /// <summary>Overrides the line family's next billing date: no run with an earlier target date bills it.</summary>
    public void SetNextBillingDate(string lineId, DateOnly date) => _billFrom[Line(lineId).FamilyId] = date;

    /// <summary>
    /// Ends a line (and its amendments) on the day before <paramref name="effective"/>. The next run credits the unused
    /// part of periods already billed, against the invoices that billed them.
    /// </summary>
    public void Cancel(string lineId, DateOnly effective)
    {
        var family = Line(lineId).FamilyId;
        var lastDay = effective.AddDays(-1);
        foreach (var line in FamilyLines(family))
        {
            if (line.Terms.End is null || line.Terms.End > lastDay)
            {
                line.Terms = line.Terms with { End = lastDay };
            }
        }

        _cancelled[family] = effective;
    }

    /// <summary>
    /// Compares what each billed piece of the line was charged with what its schedule says now (a cancellation may have
    /// shortened it) and returns the differences, positive when over-charged.
    /// </summary>
    private IEnumerable<Adjustment> Reconcile(BookLine line)
    {
        if (!_entries.TryGetValue(line.Id, out var entries))
        {
            yield break;
        }

        // The schedule's piece of each billed start, found in one walk: both go by start, the pieces one per start.
        var groups = entries.GroupBy(e => e.PieceStart).ToList();
        var starts = groups.Select(g => g.Key).Order().ToArray();
        var pieces = new SchedulePiece?[starts.Length];
        var next = 0;
        foreach (var piece in Pieces(line))
        {
            while (next < starts.Length && starts[next] < piece.Period.Start)
            {
                next++;
            }

            if (next == starts.Length)
            {
                break;
            }

            if (starts[next] == piece.Period.Start)
            {
                pieces[next] = piece;
            }
        }

        foreach (var billed in groups)
        {
            var charged = Amount.Sum(billed.Select(e => e.Net), line.Currency);
            var current = pieces[Array.BinarySearch(starts, billed.Key)];
            var due = current is { } c ? ChargeSchedule.Net(line.Terms, c.Factor, line.Currency) : Amount.Zero(line.Currency);
            if (due == charged)
            {
                continue;
            }

            var last = billed.Last();
            var billedEnd = billed.Max(e => e.Period.End);
            var billedFactor = billed.Select(e => e.Factor).Max();
            var currentEnd = current?.Period.End ?? billed.Key.AddDays(-1);
            var invoiceEntry = billed.LastOrDefault(e => e.IsInvoice && e.Invoice == last.Invoice);
            // A shorter or longer piece differs by the days cut or added; one of the same days (its quantity or price
            // changed in place) is corrected whole.
            var changed = currentEnd < billedEnd ? new BillingPeriod(currentEnd.AddDays(1), billedEnd)
                : currentEnd > billedEnd ? new BillingPeriod(billedEnd.AddDays(1), currentEnd)
                : new BillingPeriod(billed.Key, billedEnd);
            var factor = currentEnd == billedEnd ? billedFactor : billedFactor - (current?.Factor ?? 0m);
            yield return new Adjustment(line, last.Invoice, invoiceEntry?.DocumentLine, billed.Key, last.Whole, changed,
                factor, charged - due,
                Invariant($"{line.Id}: the piece from {billed.Key:yyyy-MM-dd} was charged {charged.ToPlainString()} and is now due {due.ToPlainString()} (service ends {(line.Terms.End is { } e ? e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "open")})"));
        }
    }

    /// <summary>
    /// Nets a family's differences for one whole period on one invoice (a cancelled line and its negative amendment
    /// offset each other) into one credit, or one charge when the family was charged too little.
    /// </summary>
    private void QueueAdjustments(IEnumerable<Adjustment> adjustments, List<Credit> credits, List<Charge> charges)
    {
        foreach (var group in adjustments.GroupBy(a => (a.Line.FamilyId, a.Invoice, a.Whole)))
        {
            var parts = group.OrderBy(a => a.Line.Sequence).ToList();
            var first = parts[0];
            var total = Amount.Sum(parts.Select(a => a.Difference), first.Line.Currency);
            var period = new BillingPeriod(parts.Min(a => a.Changed.Start), parts.Max(a => a.Changed.End));
            var quantity = parts.Sum(a => a.Line.Terms.Quantity);
            var explanation = string.Join("; ", parts.Select(a => a.Explanation));
            var settles = parts.Select(a => (a.Line.Id, a.PieceStart, a.Changed, a.Factor, -a.Difference)).ToList();
            if (total.IsPositive)
            {
                credits.Add(new Credit(first.Line, first.Invoice, first.CorrectedLine, period, first.Whole, first.Factor, quantity, total, Reason(first.Line), explanation, settles));
            }
            else if (total.IsNegative)
            {
                charges.Add(new Charge(first.Line, period, first.Whole, -first.Factor, quantity, -total, explanation, settles));
            }
            else
            {
                charges.Add(new Charge(first.Line, period, first.Whole, 0m, quantity, total, explanation, settles) { SettlesOnly = first.Invoice });
            }
        }
    }

    /// <summary>A difference between what a billed piece was charged and what it is due now; positive when over-charged.</summary>
    private sealed record Adjustment(BookLine Line, string Invoice, int? CorrectedLine, DateOnly PieceStart, BillingPeriod Whole, BillingPeriod Changed, decimal Factor, Amount Difference, string Explanation);

    /// <summary>
    /// An amount to credit on the invoice that billed it, with the ledger entries that settle it: (line, piece start,
    /// period, factor, signed net) per line whose charge it reduces.
    /// </summary>
    private sealed record Credit(
        BookLine Line,
        string Invoice,
        int? CorrectedLine,
        BillingPeriod Period,
        BillingPeriod Whole,
        decimal Factor,
        decimal Quantity,
        Amount Amount,
        string Reason,
        string Explanation,
        IReadOnlyList<(string LineId, DateOnly PieceStart, BillingPeriod Period, decimal Factor, Amount Net)> Settles)
    {
        /// <summary>For a usage line: the records whose correction it credits and the rating of the new total.</summary>
        public Usage.UsageDetail? Usage { get; init; }
    }
}
