namespace Connector.Sync.Leases;

/// <summary>Who holds a named lease, until when, and since when.</summary>
internal sealed record Lease(string Holder, DateTimeOffset ExpiresAt, DateTimeOffset AcquiredAt);
