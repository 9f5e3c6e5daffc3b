namespace Connector.Sync.Quarantine;

/// <summary>A source record that could not be used, with a reason a person can act on and the payload as received.</summary>
internal sealed record QuarantineEntry(string ObjectName, string RecordId, string Reason, string Payload);
