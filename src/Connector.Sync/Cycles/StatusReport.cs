using Connector.Invoicing.Storage;
using Connector.Sync.Leases;

namespace Connector.Sync.Cycles;

/// <summary>What <c>connector status</c> shows: last cycle per loop, backlog, quarantine, invoices.</summary>
internal sealed record StatusReport(
    IReadOnlyList<CycleRun> LastCycles,
    IReadOnlyDictionary<string, int> Outbox,
    int OpenQuarantine,
    InvoiceStats Invoices,
    Lease? Leader,
    int PendingPayments = 0,
    WriteBack.OutboxRetries? Retries = null,
    IReadOnlyList<ChangeEvents.ChannelState>? Channels = null);
