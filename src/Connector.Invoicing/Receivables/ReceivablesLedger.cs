using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Receivables;

/// <summary>
/// Who owes what: posted invoices and credit notes, payments, their allocations, refunds and disputes. Documents are
/// never changed; every figure (paid, credited, balance, overdue, aging) is derived from the allocations, so balances
/// cannot drift. Every method either does all it says or throws <see cref="BillingRuleException"/> having changed nothing.
/// </summary>
internal sealed partial class ReceivablesLedger
{
    private readonly Dictionary<string, Invoice> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CreditNote> _creditNotes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Payment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dispute> _disputes = new(StringComparer.Ordinal);
    private readonly List<Allocation> _allocations = [];
    private readonly Dictionary<string, List<Allocation>> _allocationsByInvoice = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Allocation>> _allocationsBySource = new(StringComparer.Ordinal);
    private readonly List<Refund> _refunds = [];
    private readonly List<Invoice> _invoiceLog = [];
    private readonly List<CreditNote> _creditNoteLog = [];
    private readonly List<string> _paymentLog = [];
    private readonly List<string> _disputeLog = [];
    private readonly List<(string Payment, DateOnly On)> _reversals = [];
    private readonly List<Dispute> _resolutions = [];

    public IReadOnlyCollection<Invoice> Invoices => _invoiceLog;

    public IReadOnlyCollection<CreditNote> CreditNotes => _creditNoteLog;

    public IReadOnlyCollection<Payment> Payments => [.. _paymentLog.Select(id => _payments[id])];

    public IReadOnlyCollection<Dispute> Disputes => [.. _disputeLog.Select(id => _disputes[id])];

    /// <summary>The allocations in force: those of reversed payments no longer count.</summary>
    public IReadOnlyList<Allocation> Allocations => [.. _allocations.Where(IsInForce)];

    public IReadOnlyList<Refund> Refunds => _refunds;

    /// <summary>
    /// Everything the ledger holds, in the order it was added: a store saves what lies beyond the counts it loaded
    /// (<see cref="Marks"/>), so the ledger only ever grows and nothing recorded is rewritten.
    /// </summary>
    internal LedgerJournal Journal => new(_invoiceLog, _creditNoteLog, [.. _paymentLog.Select(id => _payments[id])], _allocations, _refunds,
        [.. _disputeLog.Select(id => _disputes[id])], _reversals, _resolutions);

    internal LedgerMarks Marks => new(_invoiceLog.Count, _creditNoteLog.Count, _paymentLog.Count, _allocations.Count, _refunds.Count, _disputeLog.Count, _reversals.Count, _resolutions.Count);

    /// <summary>Puts back what a store saved, without applying any rule again (allocations are as they were made).</summary>
    internal void Restore(
        IEnumerable<Invoice> invoices,
        IEnumerable<CreditNote> creditNotes,
        IEnumerable<Payment> payments,
        IEnumerable<Allocation> allocations,
        IEnumerable<Refund> refunds,
        IEnumerable<Dispute> disputes)
    {
        foreach (var invoice in invoices)
        {
            AddInvoice(invoice);
        }

        foreach (var note in creditNotes)
        {
            _creditNotes.Add(note.Number, note);
            _creditNoteLog.Add(note);
        }

        foreach (var payment in payments)
        {
            _payments.Add(payment.Id, payment);
            _paymentLog.Add(payment.Id);
            IndexByAccount(payment);
        }

        foreach (var allocation in allocations)
        {
            Allocate(allocation);
        }

        _refunds.AddRange(refunds);
        foreach (var dispute in disputes)
        {
            AddDispute(dispute);
        }
    }

    public Invoice Invoice(string number) =>
        _invoices.TryGetValue(number, out var invoice) ? invoice
        : _inStore.Contains(number) ? throw new InvoiceInStoreException(number)
        : throw new BillingRuleException($"There is no posted invoice {number}.");

    /// <summary>The posted invoice of that number the book holds, or null (never posted, or left in the store).</summary>
    public Invoice? FindInvoice(string number) => _invoices.GetValueOrDefault(number);

    public CreditNote CreditNote(string number) =>
        _creditNotes.TryGetValue(number, out var note) ? note : throw new BillingRuleException($"There is no posted credit note {number}.");

    public void AddInvoice(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        _invoices.Add(invoice.Number, invoice);
        _invoiceLog.Add(invoice);
        IndexByAccount(invoice);
    }

    /// <summary>
    /// Adds a posted credit note and applies it to the open balance of the invoice it corrects; the rest (all of an
    /// account credit note) stays available.
    /// </summary>
    public void AddCreditNote(CreditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        _creditNotes.Add(note.Number, note);
        _creditNoteLog.Add(note);
        if (note.CorrectsNumber is null)
        {
            return;
        }

        var corrected = Invoice(note.CorrectsNumber);
        var applied = Amount.Min(note.Payable, Amount.Max(BalanceOf(corrected), Amount.Zero(note.Currency)));
        if (applied.IsPositive)
        {
            Allocate(new Allocation(CreditSource.CreditNote, note.Number, corrected.Number, applied, note.IssueDate));
        }
    }

    /// <summary>
    /// Records a payment and allocates it: to the listed invoices, or (when <paramref name="explicitAllocations"/> is
    /// null) to the account's collectible invoices oldest due date first. What is left is unapplied credit.
    /// </summary>
    public Payment RecordPayment(string id, string accountId, DateOnly receivedOn, Amount amount, IReadOnlyList<(string Invoice, Amount Amount)>? explicitAllocations)
    {
        if (_payments.ContainsKey(id))
        {
            throw new BillingRuleException($"Payment {id} is already recorded; give each payment its own id.");
        }

        if (!amount.IsPositive)
        {
            throw new BillingRuleException($"A payment is a positive amount; {amount} is not. Record money returned as a refund or a reversal.");
        }

        var planned = explicitAllocations is null
            ? PlanOldestFirst(accountId, amount.Currency, amount)
            : PlanExplicit(accountId, amount, explicitAllocations);
        var payment = new Payment(id, accountId, receivedOn, amount);
        _payments.Add(id, payment);
        _paymentLog.Add(id);
        IndexByAccount(payment);
        foreach (var (invoice, part) in planned)
        {
            Allocate(new Allocation(CreditSource.Payment, id, invoice, part, receivedOn));
        }

        return payment;
    }

    /// <summary>Reverses a payment (a bounced transfer): it no longer counts, and what it paid on invoices is open again.</summary>
    public void ReversePayment(string id, DateOnly on)
    {
        var payment = PaymentById(id);
        if (payment.IsReversed)
        {
            throw new BillingRuleException($"Payment {id} was already reversed on {payment.ReversedOn:yyyy-MM-dd}.");
        }

        if (_refunds.Any(r => r.Source == CreditSource.Payment && r.SourceId == id))
        {
            throw new BillingRuleException($"Payment {id} was partly refunded; money already paid back cannot bounce. Record the bounce as a new invoice or a manual adjustment.");
        }

        _payments[id] = payment with { ReversedOn = on };
        _reversals.Add((id, on));
    }

    /// <summary>
    /// Applies unapplied credit to an invoice of the same account: from one credit note, or (null) from the account's
    /// unapplied payments, oldest first. <paramref name="amount"/> null applies as much as both sides allow.
    /// </summary>
    public Amount ApplyCredit(string accountId, string invoiceNumber, string? creditNoteNumber, Amount? amount, DateOnly on)
    {
        var invoice = Invoice(invoiceNumber);
        RequireAccount(invoice, accountId);
        var sources = CreditSources(accountId, invoice.Currency, creditNoteNumber);
        var available = Amount.Sum(sources.Select(s => s.Available), invoice.Currency);
        var open = BalanceOf(invoice);
        var wanted = amount ?? Amount.Min(available, Amount.Max(open - DisputedOf(invoice), Amount.Zero(invoice.Currency)));
        if (!wanted.IsPositive || wanted > available || wanted > open)
        {
            throw new BillingRuleException($"Cannot apply {wanted} to {invoiceNumber}: {available} of credit is available and {open} of the invoice is open; apply a positive amount no larger than both.");
        }

        var left = wanted;
        foreach (var (source, id, sourceAvailable) in sources)
        {
            var part = Amount.Min(left, sourceAvailable);
            if (part.IsPositive)
            {
                Allocate(new Allocation(source, id, invoiceNumber, part, on));
                left -= part;
            }
        }

        return wanted;
    }

    /// <summary>Pays unapplied credit back: from one credit note, or (null) from the account's unapplied payments, oldest first.</summary>
    public void RefundCredit(string accountId, string? creditNoteNumber, Amount amount, DateOnly on)
    {
        var sources = CreditSources(accountId, amount.Currency, creditNoteNumber);
        var available = Amount.Sum(sources.Select(s => s.Available), amount.Currency);
        if (!amount.IsPositive || amount > available)
        {
            throw new BillingRuleException($"Cannot refund {amount} to {accountId}: {available} of unapplied credit is available{(creditNoteNumber is null ? " from payments" : $" on {creditNoteNumber}")}.");
        }

        var left = amount;
        foreach (var (source, id, sourceAvailable) in sources)
        {
            var part = Amount.Min(left, sourceAvailable);
            if (part.IsPositive)
            {
                _refunds.Add(new Refund(source, id, accountId, part, on));
                left -= part;
            }
        }
    }

    /// <summary>
    /// Opens a dispute: the amount leaves the invoice's collectible balance until it is resolved. Accepted, it becomes a
    /// credit note; one on a paid invoice then leaves that credit available to the account.
    /// </summary>
    public Dispute OpenDispute(string id, string invoiceNumber, int? line, Amount amount, DateOnly on, string? reason)
    {
        var invoice = Invoice(invoiceNumber);
        if (_disputes.ContainsKey(id))
        {
            throw new BillingRuleException($"Dispute {id} already exists; give each dispute its own id.");
        }

        if (line is { } n && (n < 1 || n > invoice.Lines.Count))
        {
            throw new BillingRuleException($"Invoice {invoiceNumber} has lines 1 to {invoice.Lines.Count}; there is no line {n}.");
        }

        // A paid invoice can still be disputed (the buyer wants money back): up to what is billed and not credited.
        var disputable = invoice.Payable - Applied(invoice, CreditSource.CreditNote) - DisputedOf(invoice);
        if (!amount.IsPositive || amount > disputable)
        {
            throw new BillingRuleException($"Cannot dispute {amount} of {invoiceNumber}: {disputable} is billed, not credited and not yet disputed.");
        }

        var dispute = new Dispute(id, invoiceNumber, line, amount, on, reason);
        AddDispute(dispute);
        return dispute;
    }

    /// <summary>Closes a dispute. An accepted one names the credit note that settled it (see the billing book).</summary>
    public Dispute ResolveDispute(string id, DisputeOutcome outcome, DateOnly on, string? creditNoteNumber)
    {
        var dispute = OpenDisputeById(id);
        var resolved = dispute with { Outcome = outcome, ResolvedOn = on, CreditNoteNumber = creditNoteNumber };
        _disputes[id] = resolved;
        _resolutions.Add(resolved);
        return resolved;
    }

    public Dispute OpenDisputeById(string id) =>
        _disputes.TryGetValue(id, out var dispute)
            ? dispute.IsOpen ? dispute : throw new BillingRuleException($"Dispute {id} was already resolved ({dispute.Outcome}) on {dispute.ResolvedOn:yyyy-MM-dd}.")
            : throw new BillingRuleException($"There is no dispute {id}.");

    public Payment PaymentById(string id) =>
        _payments.TryGetValue(id, out var payment) ? payment : throw new BillingRuleException($"There is no payment {id}.");

    private Amount Applied(Invoice invoice, CreditSource source) =>
        _allocationsByInvoice.TryGetValue(invoice.Number, out var allocations)
            ? Amount.Sum(allocations.Where(a => a.Source == source && IsInForce(a)).Select(a => a.Amount), invoice.Currency)
            : Amount.Zero(invoice.Currency);

    private IEnumerable<Allocation> AllocationsFrom(CreditSource source, string id) =>
        _allocationsBySource.GetValueOrDefault(SourceKey(source, id), []).Where(IsInForce);

    private void Allocate(Allocation allocation)
    {
        _allocations.Add(allocation);
        Index(_allocationsByInvoice, allocation.InvoiceNumber, allocation);
        Index(_allocationsBySource, SourceKey(allocation.Source, allocation.SourceId), allocation);
    }

    private static void Index(Dictionary<string, List<Allocation>> index, string key, Allocation allocation)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(allocation);
    }

    private static string SourceKey(CreditSource source, string id) => source == CreditSource.Payment ? "P:" + id : "C:" + id;

    private bool IsInForce(Allocation allocation) =>
        allocation.Source != CreditSource.Payment || !_payments.TryGetValue(allocation.SourceId, out var payment) || !payment.IsReversed;

    private Amount DisputedOf(Invoice invoice) =>
        _disputeIdsByInvoice.TryGetValue(invoice.Number, out var ids)
            ? Amount.Sum(ids.Select(id => _disputes[id]).Where(d => d.IsOpen).Select(d => d.Amount), invoice.Currency)
            : Amount.Zero(invoice.Currency);

    private List<(string Invoice, Amount Amount)> PlanOldestFirst(string accountId, Currency currency, Amount amount)
    {
        var plan = new List<(string, Amount)>();
        var left = amount;
        var open = InvoicesOf(accountId)
            .Where(i => i.Currency == currency)
            .OrderBy(i => i.DueDate).ThenBy(i => i.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal);
        foreach (var invoice in open)
        {
            var part = Amount.Min(left, BalanceOf(invoice) - DisputedOf(invoice));
            if (part.IsPositive)
            {
                plan.Add((invoice.Number, part));
                left -= part;
            }
        }

        return plan;
    }

    private List<(string Invoice, Amount Amount)> PlanExplicit(string accountId, Amount amount, IReadOnlyList<(string Invoice, Amount Amount)> allocations)
    {
        foreach (var perInvoice in allocations.GroupBy(a => a.Invoice, StringComparer.Ordinal))
        {
            var invoice = Invoice(perInvoice.Key);
            RequireAccount(invoice, accountId);
            var asked = Amount.Sum(perInvoice.Select(a => a.Amount), invoice.Currency);
            if (perInvoice.Any(a => !a.Amount.IsPositive) || asked > BalanceOf(invoice))
            {
                throw new BillingRuleException($"Cannot allocate {asked} to {perInvoice.Key}: its open balance is {BalanceOf(invoice)}; allocate positive amounts no larger than that.");
            }
        }

        var total = Amount.Sum(allocations.Select(a => a.Amount), amount.Currency);
        if (total > amount)
        {
            throw new BillingRuleException($"The allocations add up to {total}, more than the payment of {amount}.");
        }

        return [.. allocations];
    }

    private List<(CreditSource Source, string Id, Amount Available)> CreditSources(string accountId, Currency currency, string? creditNoteNumber)
    {
        if (creditNoteNumber is not null)
        {
            var note = CreditNote(creditNoteNumber);
            if (note.AccountId != accountId)
            {
                throw new BillingRuleException($"Credit note {creditNoteNumber} belongs to account {note.AccountId}, not {accountId}.");
            }

            return [(CreditSource.CreditNote, note.Number, UsageOf(note).Available)];
        }

        return
        [
            .. PaymentsOf(accountId)
                .Where(p => p.Amount.Currency == currency && !p.IsReversed)
                .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id, StringComparer.Ordinal)
                .Select(p => (CreditSource.Payment, p.Id, UsageOf(p).Unapplied))
                .Where(s => s.Unapplied.IsPositive),
        ];
    }

    private static void RequireAccount(Invoice invoice, string accountId)
    {
        if (invoice.AccountId != accountId)
        {
            throw new BillingRuleException($"Invoice {invoice.Number} belongs to account {invoice.AccountId}, not {accountId}.");
        }
    }
}
