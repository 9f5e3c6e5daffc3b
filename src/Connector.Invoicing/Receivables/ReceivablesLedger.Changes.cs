namespace Connector.Invoicing.Receivables;

internal sealed partial class ReceivablesLedger
{
    /// <summary>
    /// The documents whose figures on <paramref name="asOf"/> may differ from what was last told about them: those added
    /// since <paramref name="marks"/> and those the journal touched since (an allocation to or from them, a credit note
    /// against an invoice, a refund of a credit note, a dispute opened or resolved, a reversal of a payment allocated to
    /// them), and the invoices of each account whose uncovered installments fell due between the day its figures were last
    /// all told (<paramref name="factsOn"/>) and <paramref name="asOf"/>. Every document of an account with no such day, or
    /// whose day is after <paramref name="asOf"/>, is included.
    /// </summary>
    public (IReadOnlySet<string> Invoices, IReadOnlySet<string> CreditNotes) ChangedSince(LedgerMarks marks, IReadOnlyDictionary<string, DateOnly> factsOn, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(factsOn);
        var invoices = new HashSet<string>(StringComparer.Ordinal);
        var notes = new HashSet<string>(StringComparer.Ordinal);
        invoices.UnionWith(_invoiceLog.Skip(marks.Invoices).Select(i => i.Number));
        foreach (var note in _creditNoteLog.Skip(marks.CreditNotes))
        {
            notes.Add(note.Number);
            if (note.CorrectsNumber is { } corrected)
            {
                invoices.Add(corrected);
            }
        }

        foreach (var allocation in _allocations.Skip(marks.Allocations))
        {
            invoices.Add(allocation.InvoiceNumber);
            if (allocation.Source == CreditSource.CreditNote)
            {
                notes.Add(allocation.SourceId);
            }
        }

        notes.UnionWith(_refunds.Skip(marks.Refunds).Where(r => r.Source == CreditSource.CreditNote).Select(r => r.SourceId));
        invoices.UnionWith(_disputeLog.Skip(marks.Disputes).Select(id => _disputes[id].InvoiceNumber));
        invoices.UnionWith(_resolutions.Skip(marks.Resolutions).Select(d => d.InvoiceNumber));
        foreach (var (payment, _) in _reversals.Skip(marks.Reversals))
        {
            invoices.UnionWith(_allocationsBySource.GetValueOrDefault(SourceKey(CreditSource.Payment, payment), []).Select(a => a.InvoiceNumber));
        }

        bool Unknown(string accountId, out DateOnly since) => !factsOn.TryGetValue(accountId, out since) || since > asOf;
        foreach (var invoice in _invoiceLog.Take(marks.Invoices))
        {
            if (Unknown(invoice.AccountId, out var since))
            {
                invoices.Add(invoice.Number);
                continue;
            }

            if (SomeFallsDue(invoice, since, asOf)
                && UncoveredInstallments(invoice, Applied(invoice, CreditSource.Payment) + Applied(invoice, CreditSource.CreditNote) + DisputedOf(invoice))
                    .Any(i => i.DueDate >= since && i.DueDate < asOf))
            {
                invoices.Add(invoice.Number);
            }
        }

        notes.UnionWith(_creditNoteLog.Take(marks.CreditNotes).Where(n => Unknown(n.AccountId, out _)).Select(n => n.Number));
        return (invoices, notes);
    }
}
