using Connector.Invoicing.Invoices;
using Connector.Sync.Quarantine;

namespace Connector.Sync.Cycles;

/// <summary>What one cycle did, for the console, logs and tests.</summary>
internal sealed class CycleReport
{
    public Dictionary<string, int> RecordsRead { get; } = new(StringComparer.Ordinal);

    public List<QuarantineEntry> Quarantined { get; } = [];

    /// <summary>Deletions the org reported per object (Recycle Bin and for good); those of stored records are quarantined.</summary>
    public Dictionary<string, int> RecordsDeleted { get; } = new(StringComparer.Ordinal);

    /// <summary>Things a person should know that are not a record's fault (deletions too old to ask for, say).</summary>
    public List<string> Warnings { get; } = [];

    public List<Invoice> InvoicesPosted { get; } = [];

    public List<Connector.Invoicing.CreditNotes.CreditNote> CreditNotesPosted { get; } = [];

    /// <summary>Orders a sales user asked to bill now (the order's billNow input), with the field to clear once billed.</summary>
    public Dictionary<string, string> BillNow { get; } = new(StringComparer.Ordinal);

    /// <summary>Orders whose header or lines this cycle stored anew (for billing on activation).</summary>
    public HashSet<string> OrdersChanged { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether this cycle stored payments recorded in the org (they are applied at once when streaming).</summary>
    public bool PaymentsChanged { get; set; }

    public int DocumentsRendered { get; set; }

    /// <summary>Payments recorded in the org that this cycle applied (and reversed) through the billing engine.</summary>
    public int PaymentsApplied { get; set; }

    public int PaymentsReversed { get; set; }

    public Dictionary<string, int> WrittenBack { get; } = new(StringComparer.Ordinal);

    public List<string> WriteBackFailures { get; } = [];

    /// <summary>Write-back rows parked as Failed in this cycle: they will not be retried without a person.</summary>
    public int ParkedWriteBacks { get; set; }

    /// <summary>
    /// True when this cycle found something only a person can fix (new quarantine entries, parked write-backs), or,
    /// for <c>sync --once</c>, left write-backs waiting for a retry it could not make within its window.
    /// </summary>
    public bool NeedsAttention => Quarantined.Count > 0 || ParkedWriteBacks > 0 || Warnings.Count > 0 || StillPending is { Count: > 0 };

    /// <summary>Set by <c>sync --once</c>: failed write-backs are retried within the invocation, a second apart and doubling.</summary>
    public bool QuickRetries { get; set; }

    /// <summary>For <c>sync --once</c>: the write-backs still waiting for a retry when its window closed (null: not asked).</summary>
    public WriteBack.OutboxRetries? StillPending { get; set; }

    public long ApiCalls { get; set; }

    /// <summary>Why org work paused in this cycle (API budget), or null.</summary>
    public string? Paused { get; set; }

    public int Read(string objectName) => RecordsRead.GetValueOrDefault(objectName);

    public int TotalWrittenBack => WrittenBack.Values.Sum();
}
