-- Change Data Capture: per Pub/Sub channel, the replay id of the last event applied (committed with what the event
-- changed, so a crash replays from it), what was received today against the org's delivery allocation, and the
-- polls that covered for a broken stream.
CREATE TABLE change_channel (
    channel               NVARCHAR(255)  NOT NULL PRIMARY KEY,
    replay_id             VARCHAR(200)   NULL,
    events_day            CHAR(10)       NOT NULL,
    events_today          BIGINT         NOT NULL CONSTRAINT df_change_channel_today DEFAULT 0,
    events_total          BIGINT         NOT NULL CONSTRAINT df_change_channel_total DEFAULT 0,
    own_skipped           BIGINT         NOT NULL CONSTRAINT df_change_channel_own DEFAULT 0,
    last_commit_at        VARCHAR(40)    NULL,
    last_applied_at       VARCHAR(40)    NULL,
    fallback_polls        BIGINT         NOT NULL CONSTRAINT df_change_channel_polls DEFAULT 0,
    last_fallback_at      VARCHAR(40)    NULL,
    last_fallback_reason  NVARCHAR(1000) NULL,
    updated_at            VARCHAR(40)    NOT NULL
);
