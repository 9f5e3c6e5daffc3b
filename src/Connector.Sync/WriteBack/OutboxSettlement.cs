namespace Connector.Sync.WriteBack;

/// <summary>
/// What one write landed, settled together: the rows now <see cref="Done"/>, the ids the remote system gave the
/// entities it created (under <see cref="RemoteObject"/>), and the follow-up facts to queue.
/// </summary>
internal sealed record OutboxSettlement(
    IReadOnlyList<long> Done,
    string RemoteObject,
    IReadOnlyList<(string EntityKey, string RemoteId)> RemoteIds,
    IReadOnlyList<(string Topic, string EntityKey, string Payload)> FollowUps);
