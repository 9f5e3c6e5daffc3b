using Connector.Storage;

namespace Connector.Sync.ChangeEvents;

/// <summary>Each change event channel's position (replay id), daily counts and fallback polls.</summary>
[SqlCatalog]
internal sealed record ChannelSql
{
    public required string UpsertPosition { get; init; }

    public required string UpsertFallback { get; init; }

    public string SelectChannels { get; init; } = Common.SelectChannels;

    public static ChannelSql Sqlite { get; } = new()
    {
        UpsertPosition = """
            INSERT INTO change_channel (channel, replay_id, events_day, events_today, events_total, own_skipped, last_commit_at, last_applied_at, updated_at)
            VALUES (@Channel, @ReplayId, @Day, @Events, @Events, @OwnSkipped, @LastCommitAt, @AppliedAt, @AppliedAt)
            ON CONFLICT (channel) DO UPDATE SET
                replay_id       = excluded.replay_id,
                events_today    = CASE WHEN change_channel.events_day = excluded.events_day THEN change_channel.events_today + excluded.events_today ELSE excluded.events_today END,
                events_day      = excluded.events_day,
                events_total    = change_channel.events_total + excluded.events_total,
                own_skipped     = change_channel.own_skipped + excluded.own_skipped,
                last_commit_at  = COALESCE(excluded.last_commit_at, change_channel.last_commit_at),
                last_applied_at = excluded.last_applied_at,
                updated_at      = excluded.updated_at
            """,
        UpsertFallback = """
            INSERT INTO change_channel (channel, replay_id, events_day, fallback_polls, last_fallback_at, last_fallback_reason, updated_at)
            VALUES (@Channel, NULL, @Day, 1, @At, @Reason, @At)
            ON CONFLICT (channel) DO UPDATE SET
                replay_id            = CASE WHEN @ForgetReplayId THEN NULL ELSE change_channel.replay_id END,
                fallback_polls       = change_channel.fallback_polls + 1,
                last_fallback_at     = excluded.last_fallback_at,
                last_fallback_reason = excluded.last_fallback_reason,
                updated_at           = excluded.updated_at
            """,
    };

    public static ChannelSql SqlServer { get; } = new()
    {
        UpsertPosition = """
            MERGE change_channel WITH (HOLDLOCK) AS t
            USING (SELECT @Channel AS channel) AS s ON t.channel = s.channel
            WHEN MATCHED THEN UPDATE SET
                replay_id       = @ReplayId,
                events_today    = CASE WHEN t.events_day = @Day THEN t.events_today + @Events ELSE @Events END,
                events_day      = @Day,
                events_total    = t.events_total + @Events,
                own_skipped     = t.own_skipped + @OwnSkipped,
                last_commit_at  = COALESCE(@LastCommitAt, t.last_commit_at),
                last_applied_at = @AppliedAt,
                updated_at      = @AppliedAt
            WHEN NOT MATCHED THEN INSERT (channel, replay_id, events_day, events_today, events_total, own_skipped, last_commit_at, last_applied_at, updated_at)
                VALUES (@Channel, @ReplayId, @Day, @Events, @Events, @OwnSkipped, @LastCommitAt, @AppliedAt, @AppliedAt);
            """,
        UpsertFallback = """
            MERGE change_channel WITH (HOLDLOCK) AS t
            USING (SELECT @Channel AS channel) AS s ON t.channel = s.channel
            WHEN MATCHED THEN UPDATE SET
                replay_id            = CASE WHEN @ForgetReplayId = 1 THEN NULL ELSE t.replay_id END,
                fallback_polls       = t.fallback_polls + 1,
                last_fallback_at     = @At,
                last_fallback_reason = @Reason,
                updated_at           = @At
            WHEN NOT MATCHED THEN INSERT (channel, replay_id, events_day, fallback_polls, last_fallback_at, last_fallback_reason, updated_at)
                VALUES (@Channel, NULL, @Day, 1, @At, @Reason, @At);
            """,
    };

    public static ChannelSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static ChannelSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string SelectChannels = """
            SELECT channel              AS Channel,
                   replay_id            AS ReplayId,
                   events_day           AS EventsDay,
                   events_today         AS EventsToday,
                   events_total         AS EventsTotal,
                   own_skipped          AS OwnSkipped,
                   last_commit_at       AS LastCommitAt,
                   last_applied_at      AS LastAppliedAt,
                   fallback_polls       AS FallbackPolls,
                   last_fallback_at     AS LastFallbackAt,
                   last_fallback_reason AS LastFallbackReason
            FROM   change_channel
            ORDER  BY channel
            """;
    }
}
