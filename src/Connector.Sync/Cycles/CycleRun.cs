namespace Connector.Sync.Cycles;

/// <summary>One finished cycle of a loop (e.g. <c>sync</c>): when, how it ended, and its summary (JSON) or error.</summary>
internal sealed record CycleRun(string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string Summary, string? Error);
