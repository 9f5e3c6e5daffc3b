using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.Runs;

/// <summary>What an invoice run did: the invoices it posted (or, in a dry run, would post) for its target date.</summary>
public sealed record InvoiceRunResult(DateOnly TargetDate, bool DryRun, IReadOnlyList<Invoice> Invoices, int SkippedAsAlreadyBilled);
