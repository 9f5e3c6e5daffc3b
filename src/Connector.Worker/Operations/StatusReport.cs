using Connector.Invoicing.Storage;

namespace Connector.Worker.Operations;

/// <summary>What <c>connector status</c> shows: last cycle per loop, backlog, quarantine, invoices.</summary>
public sealed record StatusReport(
    IReadOnlyList<CycleRun> LastCycles,
    IReadOnlyDictionary<string, int> Outbox,
    int OpenQuarantine,
    InvoiceStats Invoices,
    Lease? Leader,
    int PendingPayments = 0,
    Invoicing.Outbox.OutboxRetries? Retries = null);
