using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.Runs;

/// <summary>What an invoice run did: the invoices and credit notes it posted (or, in a dry run, would post) for its target date.</summary>
internal sealed record InvoiceRunResult(DateOnly TargetDate, bool DryRun, IReadOnlyList<Invoice> Invoices, IReadOnlyList<CreditNote> CreditNotes)
{
    /// <summary>Lines this run found it could not bill and held (each with a quarantine row; in a dry run, only reported).</summary>
    public IReadOnlyList<HeldLine> HeldLines { get; init; } = [];
}
