namespace Connector.Sync.Quarantine;

/// <summary>What a quarantine retry did: the rows it resolved and the records that still cannot be used.</summary>
internal sealed record QuarantineRetryResult(IReadOnlyList<QuarantinedRecord> Resolved, IReadOnlyList<QuarantineEntry> StillFailing);
