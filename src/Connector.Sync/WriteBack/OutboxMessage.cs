namespace Connector.Sync.WriteBack;

/// <summary>
/// A pending outbox row: a fact (JSON) about an entity, to be delivered at least once. <see cref="Attempts"/> counts
/// the attempts started (one cut short by a crash included); <see cref="Failures"/> the ones that failed, which decide
/// when the row is parked.
/// </summary>
internal sealed record OutboxMessage(long Id, string Topic, string EntityKey, string Payload, int Attempts)
{
    public int Failures { get; init; }
}
