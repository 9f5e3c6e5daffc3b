using System.ComponentModel.DataAnnotations;

namespace Connector.Sync.Ingest;

/// <summary>How the ingest stage reads the org. Bound from <c>Connector:Sync</c> (one section for the whole pipeline, as operators set it).</summary>
internal sealed class IngestOptions
{
    public const string SectionName = "Connector:Sync";

    /// <summary>How far before the watermark each poll starts again, to catch records committed late. Default 2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WatermarkOverlap { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>
    /// How often each source is asked for records deleted for good (getDeleted: hard deletes and emptied Recycle Bins,
    /// one call per source). Deletions still in the Recycle Bin come with every poll at no cost (queryAll). The org
    /// keeps 15 days of deletions. 0 checks every cycle. Default 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DeletedCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
