using System.Globalization;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Billing;

/// <summary>
/// The billing engine: accounts, their order lines (with amendments, holds and cancellations), invoice runs that bill
/// each (line, period) once, credit notes, and the receivables ledger of payments, allocations and disputes.
/// Numbers are gapless per series and taken only when a document posts. A method that refuses a request throws
/// <see cref="BillingRuleException"/> before changing anything.
/// </summary>
internal sealed partial class BillingBook(BookSettings settings)
{
    private readonly Dictionary<string, BookAccount> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BookLine> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LedgerEntry>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<DateOnly>> _billedPieces = new(StringComparer.Ordinal);
    private readonly List<Hold> _holds = [];
    private readonly Dictionary<string, DateOnly> _billFrom = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _cancelled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _lastIssued = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Invoice, int Line), Amount> _credited = [];
    private readonly List<RunResult> _runs = [];
    private readonly List<LedgerEntry> _entryLog = [];
    private readonly Dictionary<string, List<BookLine>> _linesByFamily = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<BookLine>> _linesByOrder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _settledBefore = new(StringComparer.Ordinal);

    public BookSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    public ReceivablesLedger Ledger { get; } = new();

    public IReadOnlyList<RunResult> Runs => _runs;

    public IReadOnlyCollection<BookAccount> Accounts => _accounts.Values;

    public BookAccount Account(string id) =>
        _accounts.TryGetValue(id, out var account) ? account : throw new BillingRuleException($"There is no account {id}.");

    /// <summary>Adds an account, or replaces its details (name, address, terms...) for documents posted from now on.</summary>
    public void SetAccount(BookAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _ = Schedule(account);
        _accounts[account.Id] = account;
    }

    public bool HasLine(string id) => _lines.ContainsKey(id);

    /// <summary>Adds an activated order's lines.</summary>
    public void AddOrder(string accountId, string orderId, IReadOnlyList<NewLine> lines, Currency? currency = null, string? batch = null, string? legalEntity = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var account = Account(accountId);
        var entity = Settings.Entity(legalEntity);
        foreach (var line in lines)
        {
            RequireNewLineId(line.Id);
            if (line.ChargeType == ChargeType.Recurring && line.Frequency is null)
            {
                throw new BillingRuleException($"Recurring line {line.Id} needs a billing frequency.");
            }

            if ((line.ChargeType == ChargeType.Usage) != (line.Consumption is not null))
            {
                throw new BillingRuleException(line.Consumption is null
                    ? $"Usage line {line.Id} needs a consumption schedule."
                    : $"Line {line.Id} has a consumption schedule but is {line.ChargeType}; only usage lines have one.");
            }

            if (line.End is { } end && end < line.Start)
            {
                throw new BillingRuleException($"Line {line.Id} ends on {end:yyyy-MM-dd}, before it starts on {line.Start:yyyy-MM-dd}.");
            }
        }

        foreach (var line in lines)
        {
            var terms = line.Consumption is { } consumption
                ? consumption.Terms(line.Id, line.Start, line.End)
                : ChargeTerms.PerUnit(line.Id, line.ChargeType, line.ChargeType == ChargeType.OneTime ? null : line.Frequency, line.Timing,
                    line.Start, line.ChargeType == ChargeType.OneTime ? line.Start : line.End, line.Quantity, line.UnitPrice);
            Add(new BookLine
            {
                Id = line.Id, AccountId = accountId, OrderId = orderId, Product = line.Product, Terms = terms,
                Currency = currency ?? account.Currency ?? Settings.Currency, Batch = batch ?? account.InvoiceBatch, LegalEntity = entity.Key,
                TaxRate = line.TaxRate, TaxExemptReason = line.TaxExemptReason, WithholdingPercent = line.WithholdingPercent,
                FamilyId = line.Id, Sequence = _lines.Count, Consumption = line.Consumption,
            });
        }
    }

    /// <summary>
    /// An invoice run: per account, currency and invoice batch, bills what is due by <paramref name="targetDate"/> and
    /// not billed yet (Advance pieces starting on or before it, Arrears pieces ending before it, one-time lines starting
    /// on or before it), and issues the credit notes that amendments and cancellations call for, one per corrected
    /// invoice. Documents are dated <paramref name="on"/>. A dry run returns the drafts and changes nothing.
    /// </summary>
    public RunResult Run(DateOnly on, DateOnly targetDate, bool dryRun = false, IReadOnlySet<string>? accounts = null, string? batch = null)
    {
        var charges = new List<Charge>();
        var credits = new List<Credit>();
        var adjustments = new List<Adjustment>();
        foreach (var line in _lines.Values.OrderBy(l => l.AccountId, StringComparer.Ordinal).ThenBy(l => l.Sequence))
        {
            if ((accounts is not null && !accounts.Contains(line.AccountId)) || (batch is not null && !string.Equals(batch, line.Batch, StringComparison.Ordinal)))
            {
                continue;
            }

            if (line.Consumption is not null)
            {
                if (!IsHeld(line, on) && !(_billFrom.TryGetValue(line.FamilyId, out var usageFrom) && usageFrom > targetDate))
                {
                    RateUsage(line, targetDate, charges, credits);
                }

                continue;
            }

            adjustments.AddRange(Reconcile(line));
            if (IsHeld(line, on) || (_billFrom.TryGetValue(line.FamilyId, out var from) && from > targetDate))
            {
                continue;
            }

            foreach (var piece in ChargeSchedule.DueBy(line.Terms, Schedule(line), targetDate, SettledFrom(line)))
            {
                if (IsBilled(line.Id, piece.Period.Start))
                {
                    continue;
                }

                var net = ChargeSchedule.Net(line.Terms, piece.Factor, line.Currency);
                var explanation = ChargeSchedule.Formula(line.Terms, piece, Schedule(line), line.Currency);
                if (net.IsNegative && FamilyInvoiceFor(line, piece.Whole) is { } billedOn)
                {
                    credits.Add(new Credit(line, billedOn.Invoice, billedOn.DocumentLine, piece.Period, piece.Whole, piece.Factor, line.Terms.Quantity, -net,
                        Reason(line), explanation, [(line.Id, piece.Period.Start, piece.Period, piece.Factor, net)]));
                }
                else if (line.Terms.Quantity != 0m)
                {
                    charges.Add(new Charge(line, piece.Period, piece.Whole, piece.Factor, line.Terms.Quantity, net, explanation,
                        [(line.Id, piece.Period.Start, piece.Period, piece.Factor, net)]));
                }
            }
        }

        QueueAdjustments(adjustments, credits, charges);

        var drafts = charges
            .Where(c => c.SettlesOnly is null)
            .GroupBy(c => (c.Line.AccountId, Currency: c.Line.Currency.Code, Batch: c.Line.Batch ?? "", Entity: c.Line.LegalEntity))
            .OrderBy(g => g.Key.AccountId, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal).ThenBy(g => g.Key.Batch, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Entity, StringComparer.Ordinal)
            .Select(g => DraftInvoice(on, [.. g]))
            .ToList();

        // A document whose total is negative is never an invoice: it is a credit note for the account (available credit).
        var invoices = drafts.Where(d => !d.Invoice.Total.IsNegative).ToList();
        var accountCredits = drafts.Where(d => d.Invoice.Total.IsNegative).Select(AccountCreditNote).ToList();
        var notes = credits
            .GroupBy(c => c.Invoice, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => DraftCreditNote(on, g.Key, [.. g]))
            .Where(d => d.Note.Lines.Count > 0 || !dryRun)
            .ToList();

        if (dryRun)
        {
            var draft = new RunResult(on, targetDate, true, [.. invoices.Select(i => i.Invoice)],
                [.. notes.Where(n => n.Note.Lines.Count > 0).Select(n => n.Note), .. accountCredits.Select(c => c.Note)]);
            _runs.Add(draft);
            return draft;
        }

        foreach (var settled in charges.Where(c => c.SettlesOnly is not null))
        {
            Record(settled.Settles, settled.Whole, document: "", documentLine: 0, invoice: settled.SettlesOnly!, isInvoice: false);
            MarkUsage(settled.Usage, document: null);
        }

        var posted = invoices.Select(PostInvoice).ToList();
        var postedNotes = notes.Select(PostCreditNote).Where(n => n is not null).Select(n => n!).ToList();
        postedNotes.AddRange(accountCredits.Select(PostAccountCreditNote));
        var result = new RunResult(on, targetDate, false, posted, postedNotes);
        _runs.Add(result);
        return result;
    }

    /// <summary>Every ledger entry in the order it was made; a store saves those beyond the count it loaded.</summary>
    internal IReadOnlyList<LedgerEntry> EntryLog => _entryLog;

    /// <summary>The last number taken per resolved series.</summary>
    internal IReadOnlyDictionary<string, long> Sequences => _sequences;

    /// <summary>
    /// Adds a line whose schedule the caller priced (a CPQ order product: its term price turned into a period amount, see
    /// <see cref="Orders.BillableLine.Terms"/>); with <paramref name="revises"/>, it joins that line's family on its period grid.
    /// </summary>
    public void AddPricedLine(string accountId, string orderId, string product, ChargeTerms terms, Currency currency, decimal taxRate,
        string? taxExemptReason = null, decimal withholdingPercent = 0m, string? batch = null, string? revises = null, Usage.ConsumptionSchedule? consumption = null,
        string? legalEntity = null)
    {
        RequireNewLineId(terms.LineId);
        var entity = Settings.Entity(legalEntity);
        if ((terms.ChargeType == ChargeType.Usage) != (consumption is not null))
        {
            throw new BillingRuleException(consumption is null
                ? $"usage line {terms.LineId} has no active consumption schedule (SBQQ__OrderItemConsumptionSchedule__c with its rates); add one to the order product, or map its charge type to One-Time or Recurring"
                : $"line {terms.LineId} has a consumption schedule but is {terms.ChargeType}");
        }

        if (consumption is not null && revises is not null)
        {
            throw new BillingRuleException($"usage line {terms.LineId} revises {revises}; an amendment cannot revise a usage line: cancel it and add a new line with the new schedule");
        }

        var family = revises is not null && _lines.TryGetValue(revises, out var revised) ? revised.FamilyId : terms.LineId;
        Add(new BookLine
        {
            Id = terms.LineId, AccountId = accountId, OrderId = orderId, Product = product,
            Terms = revises is null ? terms : terms with { GridStart = _lines.TryGetValue(family, out var root) ? root.Terms.Start : null },
            Currency = currency, Batch = batch, TaxRate = taxRate, TaxExemptReason = taxExemptReason, WithholdingPercent = withholdingPercent,
            FamilyId = family, Revises = revises is null ? null : family, Sequence = _lines.Count, Consumption = consumption, LegalEntity = entity.Key,
        });
    }

    /// <summary>The issue date of the last document numbered in each resolved series.</summary>
    internal IReadOnlyDictionary<string, DateOnly> LastIssued => _lastIssued;

    /// <summary>
    /// Puts back what a store saved: ledger entries, the last numbers taken (and their issue dates), and what was credited
    /// per invoice line. <paramref name="settledBefore"/>: per account, the day before which every piece of its recurring
    /// and one-time lines is billed and charged what it is due (<see cref="NextDates()"/>, kept by a save); the store
    /// then gives only the entries of whole periods ending on or after it, and the book counts the earlier pieces billed.
    /// </summary>
    internal void Restore(IEnumerable<LedgerEntry> entries, IReadOnlyDictionary<string, long> sequences, IReadOnlyDictionary<string, DateOnly>? lastIssued = null,
        IReadOnlyDictionary<string, DateOnly>? settledBefore = null)
    {
        foreach (var (account, day) in settledBefore ?? new Dictionary<string, DateOnly>())
        {
            _settledBefore[account] = day;
        }

        foreach (var (series, date) in lastIssued ?? new Dictionary<string, DateOnly>())
        {
            _lastIssued[series] = date;
        }

        foreach (var entry in entries)
        {
            Add(entry);
        }

        foreach (var (series, last) in sequences)
        {
            _sequences[series] = last;
        }

        foreach (var note in Ledger.CreditNotes)
        {
            foreach (var line in note.Lines.Where(l => l.CorrectedLine is not null && note.CorrectsNumber is not null))
            {
                var key = (note.CorrectsNumber!, line.CorrectedLine!.Value);
                _credited[key] = _credited.GetValueOrDefault(key, Amount.Zero(note.Currency)) + line.Net;
            }
        }
    }

    /// <summary>The book's scheduling rules for one account.</summary>
    public ScheduleSettings Schedule(BookAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            return new ScheduleSettings(account.BillingDayOfMonth, Settings.Proration);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new BillingRuleException($"Account {account.Id}: {e.Message.Split(Environment.NewLine)[0]}");
        }
    }

    internal ScheduleSettings Schedule(BookLine line) => Schedule(Account(line.AccountId));

    internal BookLine Line(string id) =>
        _lines.TryGetValue(id, out var line) ? line : throw new BillingRuleException($"There is no line {id}.");

    internal IEnumerable<BookLine> FamilyLines(string familyId) => _linesByFamily.GetValueOrDefault(familyId, []);

    private void Add(BookLine line)
    {
        _lines.Add(line.Id, line);
        Index(_linesByFamily, line.FamilyId, line);
        Index(_linesByOrder, line.OrderId, line);

        static void Index(Dictionary<string, List<BookLine>> index, string key, BookLine line)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(line);
        }
    }

    /// <summary>The line's pieces, less those before its account's settled day (all billed, and never built); usage lines' in full.</summary>
    private IEnumerable<SchedulePiece> Pieces(BookLine line) => ChargeSchedule.Pieces(line.Terms, Schedule(line), SettledFrom(line));

    /// <summary>The day before which every piece of the line is billed and settled (<see cref="IsSettled"/>); null: not known, or a usage line.</summary>
    private DateOnly? SettledFrom(BookLine line) =>
        _settledBefore.Count > 0 && line.Consumption is null && _settledBefore.TryGetValue(line.AccountId, out var before) ? before : null;

    internal bool IsBilled(string lineId, DateOnly pieceStart) =>
        (_billedPieces.TryGetValue(lineId, out var billed) && billed.Contains(pieceStart)) || IsSettled(lineId, pieceStart);

    internal DateOnly? BillFrom(BookLine line) => _billFrom.TryGetValue(line.FamilyId, out var from) ? from : null;

    private bool IsHeld(BookLine line, DateOnly day) => _holds.Any(h => h.FamilyId == line.FamilyId && h.IsActiveOn(day));

    private static DateOnly Later(DateOnly date, DateOnly? other) => other is { } o && o > date ? o : date;

    private decimal FamilyQuantityOn(string familyId, DateOnly day) =>
        FamilyLines(familyId).Where(l => l.Terms.Start <= day && (l.Terms.End is null || day <= l.Terms.End)).Sum(l => l.Terms.Quantity);

    /// <summary>The invoice (and line) on which an earlier run billed the family's line for this whole period.</summary>
    private LedgerEntry? FamilyInvoiceFor(BookLine line, BillingPeriod whole) =>
        FamilyLines(line.FamilyId)
            .Where(l => l.Id != line.Id && _entries.ContainsKey(l.Id))
            .SelectMany(l => _entries[l.Id])
            .LastOrDefault(e => e.IsInvoice && e.Whole == whole && e.Net.IsPositive);

    private string Reason(BookLine line) =>
        _cancelled.TryGetValue(line.FamilyId, out var effective) && line.Terms.End is { } end && end < effective
            ? CreditNotes.CreditReasons.Cancellation(line.FamilyId, effective)
            : line.Revises is not null
                ? CreditNotes.CreditReasons.Amendment(line.OrderId, line.Revises)
                : CreditNotes.CreditReasons.ServiceChange(line.Id);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void RequireNewLineId(string id)
    {
        if (_lines.ContainsKey(id))
        {
            throw new BillingRuleException($"Line id {id} is already used; every line, amendments included, needs its own id.");
        }
    }

    /// <summary>
    /// The next number of the series a document issued on <paramref name="issueDate"/> goes in. In a series, numbers and
    /// issue dates rise together (Spain's Reglamento de facturación asks it, and so does any auditor): a document dated
    /// before the last one of its series is refused.
    /// </summary>
    private string NextNumber(NumberSeries series, DateOnly issueDate)
    {
        var resolved = series.Resolve(issueDate);
        var next = _sequences.GetValueOrDefault(resolved) + 1;
        if (_lastIssued.TryGetValue(resolved, out var last) && issueDate < last)
        {
            throw new DocumentDateException(
                $"{NumberSeries.Format(resolved, next)} would be dated {issueDate:yyyy-MM-dd}, before {last:yyyy-MM-dd}, the date of {NumberSeries.Format(resolved, next - 1)}: in a series, numbers and issue dates rise together; date it {last:yyyy-MM-dd} or later.");
        }

        _sequences[resolved] = next;
        _lastIssued[resolved] = issueDate;
        return NumberSeries.Format(resolved, next);
    }

    /// <summary>
    /// A period piece (or a correction of one) to put on an invoice, with the ledger entries it writes: (line, piece
    /// start, period, factor, signed net) per line it charges. <see cref="SettlesOnly"/>: differences that cancel out,
    /// recorded without a document line.
    /// </summary>
    private sealed record Charge(
        BookLine Line,
        BillingPeriod Period,
        BillingPeriod Whole,
        decimal Factor,
        decimal Quantity,
        Amount Net,
        string Explanation,
        IReadOnlyList<(string LineId, DateOnly PieceStart, BillingPeriod Period, decimal Factor, Amount Net)> Settles)
    {
        public string? SettlesOnly { get; init; }

        /// <summary>For a usage line: the records it bills and their rating.</summary>
        public Usage.UsageDetail? Usage { get; init; }
    }

}
