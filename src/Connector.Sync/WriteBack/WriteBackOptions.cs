using System.ComponentModel.DataAnnotations;

namespace Connector.Sync.WriteBack;

/// <summary>How the write-back stage drains the outbox. Bound from <c>Connector:Sync</c> (one section for the whole pipeline, as operators set it).</summary>
internal sealed class WriteBackOptions
{
    public const string SectionName = "Connector:Sync";

    /// <summary>
    /// Outbox rows one write-back pass takes. Default 20,000. A pass holding more than
    /// <c>Connector:Salesforce:BulkWriteThreshold</c> records of one object writes them through Bulk API.
    /// </summary>
    [Range(1, 200_000)]
    public int WriteBackBatchSize { get; set; } = 20_000;
    /// <summary>Attempts before a write-back row that keeps failing transiently is parked as Failed. Default 10.</summary>
    [Range(1, 100)]
    public int MaxWriteBackAttempts { get; set; } = 10;
    /// <summary>First retry delay of a failed write-back row; doubles per attempt up to an hour. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WriteBackRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
