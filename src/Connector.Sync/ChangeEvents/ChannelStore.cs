using System.Data.Common;
using Connector.Storage;
using Dapper;

namespace Connector.Sync.ChangeEvents;

/// <summary>Where a channel's stream stands, committed with the changes its events brought (see <see cref="ChannelStore.SavePositionAsync"/>).</summary>
/// <param name="Channel">The channel, e.g. <c>/data/OrderChangeEvent</c>.</param>
/// <param name="ReplayId">The last event applied (or the tip a keepalive named).</param>
/// <param name="Events">Events received in this batch (own and skipped ones included: each counts against the allocation).</param>
/// <param name="OwnSkipped">Events of the connector's own writes, skipped.</param>
/// <param name="LastCommitAt">When the newest event's transaction committed in the org (for the lag).</param>
internal sealed record ChannelPosition(string Channel, ReadOnlyMemory<byte> ReplayId, int Events, int OwnSkipped, DateTimeOffset? LastCommitAt);

/// <summary>A channel as <c>status</c> shows it.</summary>
internal sealed record ChannelState
{
    public string Channel { get; init; } = "";

    public string? ReplayId { get; init; }

    public string EventsDay { get; init; } = "";

    public long EventsToday { get; init; }

    public long EventsTotal { get; init; }

    public long OwnSkipped { get; init; }

    public string? LastCommitAt { get; init; }

    public string? LastAppliedAt { get; init; }

    public long FallbackPolls { get; init; }

    public string? LastFallbackAt { get; init; }

    public string? LastFallbackReason { get; init; }
}

/// <summary>The change_channel table: replay ids, counts and fallbacks per channel.</summary>
internal sealed class ChannelStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private readonly ChannelSql _sql = ChannelSql.For(database.Provider);

    public async Task<IReadOnlyList<ChannelState>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ChannelState>(database.Command(_sql.SelectChannels, null, cancellationToken))];
    }

    /// <summary>The replay id to resume after, or null (never streamed, or the last one was rejected).</summary>
    public async Task<byte[]?> ReplayIdAsync(string channel, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(c => c.Channel == channel)?.ReplayId is { } text ? Convert.FromBase64String(text) : null;

    /// <summary>Stores the position inside the transaction that stores what its events changed: both land, or neither.</summary>
    public Task SavePositionAsync(DbConnection connection, DbTransaction transaction, ChannelPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = timeProvider.GetUtcNow();
        return connection.ExecuteAsync(database.Command(_sql.UpsertPosition, new
        {
            position.Channel,
            ReplayId = Convert.ToBase64String(position.ReplayId.Span),
            Day = DbText.Date(DateOnly.FromDateTime(now.UtcDateTime)),
            Events = (long)position.Events,
            OwnSkipped = (long)position.OwnSkipped,
            LastCommitAt = position.LastCommitAt is { } at ? DbText.Instant(at) : null,
            AppliedAt = DbText.Instant(now),
        }, transaction, cancellationToken));
    }

    /// <summary>Counts a poll that covered for the stream, with why; <paramref name="forgetReplayId"/> when the org rejected it.</summary>
    public async Task RecordFallbackAsync(string channel, string reason, bool forgetReplayId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(database.Command(_sql.UpsertFallback, new
        {
            Channel = channel,
            Day = DbText.Date(DateOnly.FromDateTime(now.UtcDateTime)),
            At = DbText.Instant(now),
            Reason = reason.Length > 1000 ? reason[..999] + "…" : reason,
            ForgetReplayId = forgetReplayId,
        }, cancellationToken));
    }
}
