using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Receivables;

internal sealed partial class ReceivablesLedger
{
    /// <summary>The ids of each invoice's disputes (what is disputed of an invoice is asked for every invoice a figure counts).</summary>
    private readonly Dictionary<string, List<string>> _disputeIdsByInvoice = new(StringComparer.Ordinal);

    private void AddDispute(Dispute dispute)
    {
        _disputes.Add(dispute.Id, dispute);
        _disputeLog.Add(dispute.Id);
        if (!_disputeIdsByInvoice.TryGetValue(dispute.InvoiceNumber, out var ids))
        {
            _disputeIdsByInvoice[dispute.InvoiceNumber] = ids = [];
        }

        ids.Add(dispute.Id);
    }

    public InvoiceBalance BalanceOf(Invoice invoice, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var paid = Applied(invoice, CreditSource.Payment);
        var credited = Applied(invoice, CreditSource.CreditNote);
        var disputed = DisputedOf(invoice);
        var balance = invoice.Payable - paid - credited;
        var overdue = Amount.Sum(UncoveredInstallments(invoice, paid + credited + disputed).Where(i => i.DueDate < asOf).Select(i => i.Amount), invoice.Currency);
        var status = !balance.IsPositive ? PaymentStatus.Paid
            : overdue.IsPositive ? PaymentStatus.Overdue
            : (paid + credited).IsPositive ? PaymentStatus.PartiallyPaid
            : PaymentStatus.Unpaid;
        return new InvoiceBalance(invoice.Number, invoice.Payable, paid, credited, disputed, balance, overdue, status);
    }

    /// <summary>What has been used of a credit note (allocations and refunds) and what is still available.</summary>
    public (Amount Allocated, Amount Available) UsageOf(CreditNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var used = Amount.Sum(
            AllocationsFrom(CreditSource.CreditNote, note.Number).Select(a => a.Amount)
                .Concat(_refunds.Where(r => r.Source == CreditSource.CreditNote && r.SourceId == note.Number).Select(r => r.Amount)),
            note.Currency);
        return (used, note.Payable - used);
    }

    /// <summary>What of a payment is applied, refunded and still unapplied (nothing counts once it is reversed).</summary>
    public (Amount Allocated, Amount Refunded, Amount Unapplied) UsageOf(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var zero = Amount.Zero(payment.Amount.Currency);
        if (payment.IsReversed)
        {
            return (zero, zero, zero);
        }

        var allocated = Amount.Sum(AllocationsFrom(CreditSource.Payment, payment.Id).Select(a => a.Amount), payment.Amount.Currency);
        var refunded = Amount.Sum(_refunds.Where(r => r.Source == CreditSource.Payment && r.SourceId == payment.Id).Select(r => r.Amount), payment.Amount.Currency);
        return (allocated, refunded, payment.Amount - allocated - refunded);
    }

    /// <summary>The account's figures per currency it has documents or payments in, with aging on <paramref name="asOf"/>.</summary>
    public IReadOnlyList<AccountBalance> AccountBalances(string accountId, DateOnly asOf) => AccountBalances([accountId], asOf)[accountId];

    /// <summary>
    /// <see cref="AccountBalances(string, DateOnly)"/> of many accounts, from one pass over the ledger (figures of a
    /// thousand accounts cost one look at each document, not one per account).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<AccountBalance>> AccountBalances(IReadOnlyCollection<string> accountIds, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        var wanted = accountIds.ToHashSet(StringComparer.Ordinal);
        var invoices = _invoices.Values.Where(i => wanted.Contains(i.AccountId)).ToLookup(i => i.AccountId, StringComparer.Ordinal);
        var notes = _creditNotes.Values.Where(n => wanted.Contains(n.AccountId)).ToLookup(n => n.AccountId, StringComparer.Ordinal);
        var payments = _payments.Values.Where(p => wanted.Contains(p.AccountId)).ToLookup(p => p.AccountId, StringComparer.Ordinal);
        var refunds = _refunds.Where(r => wanted.Contains(r.AccountId)).ToLookup(r => r.AccountId, StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<AccountBalance>>(StringComparer.Ordinal);
        foreach (var accountId in wanted)
        {
            var currencies = invoices[accountId].Select(i => i.Currency).Concat(payments[accountId].Select(p => p.Amount.Currency)).Concat(notes[accountId].Select(n => n.Currency))
                .Concat(ClosedCurrencies(accountId))
                .Distinct().OrderBy(c => c.Code, StringComparer.Ordinal);
            result[accountId] = [.. currencies.Select(c => Figures(accountId, c, asOf, invoices[accountId], notes[accountId], payments[accountId], refunds[accountId]))];
        }

        return result;
    }

    public AccountBalance AccountBalance(string accountId, Currency currency, DateOnly asOf) =>
        Figures(accountId, currency, asOf, InvoicesOf(accountId), _creditNotes.Values.Where(n => n.AccountId == accountId),
            PaymentsOf(accountId), _refunds.Where(r => r.AccountId == accountId));

    private AccountBalance Figures(string accountId, Currency currency, DateOnly asOf, IEnumerable<Invoice> ofAccount, IEnumerable<CreditNote> notesOfAccount,
        IEnumerable<Payment> paymentsOfAccount, IEnumerable<Refund> refundsOfAccount)
    {
        var invoices = ofAccount.Where(i => i.Currency == currency).ToList();
        var notes = notesOfAccount.Where(n => n.Currency == currency).ToList();
        var payments = paymentsOfAccount.Where(p => p.Amount.Currency == currency && !p.IsReversed).ToList();
        var zero = Amount.Zero(currency);
        var closed = Closed(accountId, currency, asOf);
        var settled = Amount.FromMinorUnits(closed?.SettledMinor ?? 0, currency);
        var billed = Amount.Sum(invoices.Select(i => i.Payable), currency) + Amount.FromMinorUnits(closed?.PayableMinor ?? 0, currency) + settled;
        var credited = Amount.Sum(notes.Select(n => n.Payable), currency);
        var paid = Amount.Sum(payments.Select(p => p.Amount), currency) + settled;
        var refunded = Amount.Sum(refundsOfAccount.Where(r => r.Amount.Currency == currency).Select(r => r.Amount), currency);
        var unapplied = Amount.Sum(payments.Select(p => UsageOf(p).Unapplied).Concat(notes.Select(n => UsageOf(n).Available)), currency);

        // One pass over the invoices: what covers each (payments, credits, open disputes) is found once, and its
        // installments left uncovered make both the overdue figure and the aging, summed in minor units (all of this
        // currency) and made amounts once.
        var disputed = zero;
        var overdue = closed?.PayableMinor ?? 0;
        Span<long> aging = stackalloc long[5];
        if (closed is not null)
        {
            (aging[1], aging[2], aging[3], aging[4]) = (closed.Days1To30, closed.Days31To60, closed.Days61To90, closed.Over90);
        }

        foreach (var invoice in invoices)
        {
            var disputedOf = DisputedOf(invoice);
            disputed += disputedOf;
            var covered = Applied(invoice, CreditSource.Payment) + Applied(invoice, CreditSource.CreditNote) + disputedOf;
            if (covered.IsZero && invoice.Installments.Count == 0)
            {
                // Most invoices of a book: nothing covers them, and all is due on the due date (no schedule is built).
                var payable = invoice.Payable.MinorUnits;
                if (payable > 0)
                {
                    overdue += invoice.DueDate < asOf ? payable : 0;
                    aging[Aging.Bucket(asOf.DayNumber - invoice.DueDate.DayNumber)] += payable;
                }

                continue;
            }

            foreach (var installment in UncoveredInstallments(invoice, covered))
            {
                overdue += installment.DueDate < asOf ? installment.Amount.MinorUnits : 0;
                aging[Aging.Bucket(asOf.DayNumber - installment.DueDate.DayNumber)] += installment.Amount.MinorUnits;
            }
        }

        return new AccountBalance(accountId, currency, billed, paid, credited, refunded, billed - credited - paid + refunded, Amount.FromMinorUnits(overdue, currency),
            disputed, unapplied, Aging.FromMinorUnits(aging, currency));
    }

    /// <summary>
    /// Per account with an open invoice, the first day after <paramref name="asOf"/> on which its figures change by time
    /// alone: the day after an installment still uncovered falls due (an invoice turns overdue). Payments,
    /// credits and disputes change them too, but only through a posting, which computes this again.
    /// </summary>
    public IReadOnlyDictionary<string, DateOnly> NextTimeChanges(DateOnly asOf)
    {
        var next = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var invoice in _invoiceLog)
        {
            if (invoice.DueDate < asOf && AllDueBefore(invoice.Installments, asOf))
            {
                continue; // everything of it is due already: time alone changes nothing more
            }

            var covered = Applied(invoice, CreditSource.Payment) + Applied(invoice, CreditSource.CreditNote) + DisputedOf(invoice);
            if (UncoveredInstallments(invoice, covered).Where(i => i.DueDate >= asOf).Select(i => (DateOnly?)i.DueDate.AddDays(1)).FirstOrDefault() is { } day
                && (!next.TryGetValue(invoice.AccountId, out var known) || day < known))
            {
                next[invoice.AccountId] = day;
            }
        }

        return next;
    }

    /// <summary>Whether every installment falls due before the day (none: the due date alone, which the caller checks); no schedule is built.</summary>
    private static bool AllDueBefore(IReadOnlyList<Installment> installments, DateOnly asOf)
    {
        foreach (var installment in installments)
        {
            if (installment.DueDate >= asOf)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether some installment of the invoice's due schedule falls due on or after <paramref name="from"/> and before <paramref name="before"/>; no schedule is built.</summary>
    private static bool SomeFallsDue(Invoice invoice, DateOnly from, DateOnly before)
    {
        if (invoice.Installments.Count == 0)
        {
            return invoice.DueDate >= from && invoice.DueDate < before;
        }

        foreach (var installment in invoice.Installments)
        {
            if (installment.DueDate >= from && installment.DueDate < before)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An invoice's collectible installments (after payments, credits and open disputes) by days past due.</summary>
    public Aging AgingOf(Invoice invoice, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var covered = Applied(invoice, CreditSource.Payment) + Applied(invoice, CreditSource.CreditNote) + DisputedOf(invoice);
        return UncoveredInstallments(invoice, covered)
            .Aggregate(Aging.Zero(invoice.Currency), (aging, i) => aging.Add(asOf.DayNumber - i.DueDate.DayNumber, i.Amount));
    }

    /// <summary>
    /// Days sales outstanding on <paramref name="asOf"/>: receivables ÷ the gross billed in the <paramref name="days"/>
    /// days up to and including it × days, one decimal; null when nothing was billed in that window.
    /// </summary>
    public decimal? DaysSalesOutstanding(Currency currency, DateOnly asOf, int days = 90)
    {
        var (receivable, billed) = DsoInputs(currency, asOf, days);
        return Dso(receivable, billed, days);
    }

    /// <summary>What DSO divides: the receivables, and the gross billed in the <paramref name="days"/> days up to <paramref name="asOf"/>.</summary>
    public (Amount Receivable, Amount Billed) DsoInputs(Currency currency, DateOnly asOf, int days = 90)
    {
        var invoices = _invoiceLog.Where(i => i.Currency == currency).ToList();
        var windowStart = asOf.AddDays(-days + 1);
        var billed = Amount.Sum(invoices.Where(i => i.IssueDate >= windowStart && i.IssueDate <= asOf).Select(i => i.Payable), currency);
        var receivable = Amount.Sum(invoices.Select(i => Amount.Max(BalanceOf(i), Amount.Zero(currency))), currency) + Amount.FromMinorUnits(ClosedPayable(currency), currency);
        return (receivable, billed);
    }

    /// <summary>Receivables ÷ billed × days, one decimal; null when nothing was billed.</summary>
    public static decimal? Dso(Amount receivable, Amount billed, int days = 90)
    {
        return billed.IsPositive ? decimal.Round(receivable.Value / billed.Value * days, 1, MidpointRounding.AwayFromZero) : null;
    }

    private Amount BalanceOf(Invoice invoice) => invoice.Payable - Applied(invoice, CreditSource.Payment) - Applied(invoice, CreditSource.CreditNote);

    /// <summary>The installments' parts not covered by <paramref name="covered"/>, which pays them in due order.</summary>
    private static IEnumerable<Installment> UncoveredInstallments(Invoice invoice, Amount covered)
    {
        if (covered.IsZero)
        {
            return invoice.DueSchedule.Where(i => i.Amount.IsPositive); // nothing covers it (most invoices of a book)
        }

        return Uncovered(invoice, covered);
    }

    private static IEnumerable<Installment> Uncovered(Invoice invoice, Amount covered)
    {
        var left = covered;
        foreach (var installment in invoice.DueSchedule)
        {
            var part = Amount.Max(Amount.Min(left, installment.Amount), Amount.Zero(invoice.Currency));
            left -= part;
            var rest = installment.Amount - part;
            if (rest.IsPositive)
            {
                yield return installment with { Amount = rest };
            }
        }
    }
}
