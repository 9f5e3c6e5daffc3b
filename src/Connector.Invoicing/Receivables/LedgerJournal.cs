using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.Receivables;

/// <summary>Everything a ledger holds, in the order it was added (see <see cref="ReceivablesLedger.Journal"/>).</summary>
internal sealed record LedgerJournal(
    IReadOnlyList<Invoice> Invoices,
    IReadOnlyList<CreditNote> CreditNotes,
    IReadOnlyList<Payment> Payments,
    IReadOnlyList<Allocation> Allocations,
    IReadOnlyList<Refund> Refunds,
    IReadOnlyList<Dispute> Disputes,
    IReadOnlyList<(string Payment, DateOnly On)> Reversals,
    IReadOnlyList<Dispute> Resolutions);

/// <summary>How much of each journal list a store loaded; what lies beyond is new.</summary>
internal sealed record LedgerMarks(int Invoices, int CreditNotes, int Payments, int Allocations, int Refunds, int Disputes, int Reversals, int Resolutions);
