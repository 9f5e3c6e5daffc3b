namespace Connector.Sync.Quarantine;

/// <summary>An open quarantine row as stored.</summary>
internal sealed record QuarantinedRecord(long Id, string ObjectName, string RecordId, string Reason, string Payload, DateTimeOffset CreatedAt);
