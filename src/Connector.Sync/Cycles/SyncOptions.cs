using System.ComponentModel.DataAnnotations;

namespace Connector.Sync.Cycles;

/// <summary>The cycle's cadence: polls, invoice runs, the lease, idling and history. Bound from <c>Connector:Sync</c>, like each stage's options.</summary>
internal sealed class SyncOptions
{
    public const string SectionName = "Connector:Sync";

    /// <summary>
    /// When <c>connector run</c> posts invoices: a cron expression (5 fields) in the billing time zone. Default
    /// <c>0 2 * * *</c>, every day at 02:00; <c>0 2 1 * *</c> bills on the 1st of each month. A run also happens at start.
    /// </summary>
    public string InvoiceRunSchedule { get; set; } = "0 2 * * *";

    /// <summary>How long the elected replica's lease lasts without renewal; a dead pod's work is taken over after it. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest pause of the write-back loop when there is nothing to send. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan WriteBackIdleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long cycle history (for <c>status</c>) is kept. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan CycleHistory { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long <c>sync --once</c> keeps retrying write-backs that failed transiently (a locked row, a busy org) before
    /// it exits: retries come a second apart and double. What is still waiting then is reported (count, oldest,
    /// reason) and makes the exit code 1. 0 retries nothing within the invocation. Default 2 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan OnceRetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time between ingest polls for <c>connector run</c>. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);
}
