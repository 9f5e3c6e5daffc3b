using Connector.Invoicing.Orders;
using Connector.Sync.Quarantine;

namespace Connector.Sync.Ingest;

/// <summary>
/// Everything one page of ingested records changes, committed in one transaction: the raw versions, what they mapped to,
/// what was quarantined, and the new watermark. A crash before commit leaves the watermark where it was, so the page is read again.
/// </summary>
internal sealed class IngestBatch
{
    private readonly string _objectName = "";

    public required string ObjectName
    {
        get => _objectName;
        init
        {
            _objectName = value;
            Changes = new OrderChanges { Source = value };
        }
    }

    public List<SourceRecordVersion> Records { get; } = [];

    /// <summary>What the records mapped to on billing's side (accounts, orders, lines, contracts, payments).</summary>
    public OrderChanges Changes { get; private init; } = new() { Source = "" };

    public List<QuarantineEntry> Quarantined { get; } = [];

    /// <summary>Records the org deleted (queryAll's IsDeleted, or getDeleted), with what their deletion stops.</summary>
    public List<RecordDeletion> Deletions { get; } = [];

    /// <summary>Records that mapped cleanly this time; their open quarantine rows are resolved.</summary>
    public List<string> MappedRecordIds { get; } = [];

    public DateTimeOffset? HighWaterMark { get; set; }

    /// <summary>Orders of this page that ask to be billed now, with the field to clear (see <see cref="Mapping.Transform.RecordMapper.BillNow"/>).</summary>
    public Dictionary<string, string> BillNow { get; } = new(StringComparer.Ordinal);

    /// <summary>A change event channel's new position, committed in the same transaction (null for a poll).</summary>
    public ChangeEvents.ChannelPosition? Position { get; set; }

    /// <summary>Adds what the page changed to the cycle's report, once committed.</summary>
    public void ReportTo(Cycles.CycleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.RecordsRead[ObjectName] = report.Read(ObjectName) + Records.Count;
        if (Deletions.Count > 0)
        {
            report.RecordsDeleted[ObjectName] = report.RecordsDeleted.GetValueOrDefault(ObjectName) + Deletions.Count;
        }

        report.Quarantined.AddRange(Quarantined);
        report.OrdersChanged.UnionWith(Changes.Orders.Select(o => o.OrderId).Concat(Changes.Lines.Select(l => l.OrderId)));
        report.PaymentsChanged |= Changes.Payments.Count > 0;
        foreach (var (order, field) in BillNow)
        {
            report.BillNow[order] = field;
        }
    }
}
