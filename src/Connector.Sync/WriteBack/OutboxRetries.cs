namespace Connector.Sync.WriteBack;

/// <summary>Outbox rows waiting for a retry after a transient failure: how many, the oldest's creation, the next retry, and one of their errors.</summary>
internal sealed record OutboxRetries(int Count, DateTimeOffset? Oldest, DateTimeOffset? NextAttemptAt, string? LastError);
