using Connector.Invoicing.Orders;
using Connector.Invoicing.Quarantine;

namespace Connector.Invoicing.Storage;

/// <summary>
/// Everything one page of ingested records changes, committed in one transaction: the raw versions, what they mapped to,
/// what was quarantined, and the new watermark. A crash before commit leaves the watermark where it was, so the page is read again.
/// </summary>
public sealed class IngestBatch
{
    public required string ObjectName { get; init; }

    public List<SourceRecordVersion> Records { get; } = [];

    public List<BillingAccount> Accounts { get; } = [];

    public List<OrderHeader> Orders { get; } = [];

    public List<BillableLine> Lines { get; } = [];

    public List<Receivables.IncomingPayment> Payments { get; } = [];

    public List<ContractTerm> Contracts { get; } = [];

    public List<QuarantineEntry> Quarantined { get; } = [];

    /// <summary>Records the org deleted (queryAll's IsDeleted, or getDeleted), with what their deletion stops.</summary>
    public List<RecordDeletion> Deletions { get; } = [];

    /// <summary>Records that mapped cleanly this time; their open quarantine rows are resolved.</summary>
    public List<string> MappedRecordIds { get; } = [];

    public DateTimeOffset? HighWaterMark { get; set; }
}
