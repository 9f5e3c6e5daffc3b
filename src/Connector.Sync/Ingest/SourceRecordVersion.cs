namespace Connector.Sync.Ingest;

/// <summary>One version of a source record, raw as received; (ObjectName, RecordId, SystemModstamp) identifies it.</summary>
internal sealed record SourceRecordVersion(string ObjectName, string RecordId, DateTimeOffset SystemModstamp, string Payload);
