using Connector.Invoicing.Invoices;
using Connector.Invoicing.Quarantine;

namespace Connector.Worker.Sync;

/// <summary>What one cycle did, for the console, logs and tests.</summary>
public sealed class CycleReport
{
    public Dictionary<string, int> RecordsRead { get; } = new(StringComparer.Ordinal);

    public List<QuarantineEntry> Quarantined { get; } = [];

    public List<Invoice> InvoicesPosted { get; } = [];

    public int DocumentsRendered { get; set; }

    public Dictionary<string, int> WrittenBack { get; } = new(StringComparer.Ordinal);

    public List<string> WriteBackFailures { get; } = [];

    public long ApiCalls { get; set; }

    public int Read(string objectName) => RecordsRead.GetValueOrDefault(objectName);

    public int TotalWrittenBack => WrittenBack.Values.Sum();
}
