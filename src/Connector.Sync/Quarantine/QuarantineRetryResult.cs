namespace Connector.Sync.Quarantine;

/// <summary>What a quarantine retry did: the rows it resolved and the records that still cannot be used.</summary>
public sealed record QuarantineRetryResult(IReadOnlyList<QuarantinedRecord> Resolved, IReadOnlyList<QuarantineEntry> StillFailing);
