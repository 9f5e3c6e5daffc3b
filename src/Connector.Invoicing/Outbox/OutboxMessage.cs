namespace Connector.Invoicing.Outbox;

/// <summary>A pending outbox row: a fact (JSON) about an entity, to be delivered at least once.</summary>
public sealed record OutboxMessage(long Id, string Topic, string EntityKey, string Payload, int Attempts);
