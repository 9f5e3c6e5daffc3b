-- Change Data Capture: per Pub/Sub channel, the replay id of the last event applied (committed with what the event
-- changed, so a crash replays from it), what was received today against the org's delivery allocation, and the
-- polls that covered for a broken stream.
CREATE TABLE change_channel (
    channel               TEXT    PRIMARY KEY,
    replay_id             TEXT    NULL,
    events_day            TEXT    NOT NULL,
    events_today          INTEGER NOT NULL DEFAULT 0,
    events_total          INTEGER NOT NULL DEFAULT 0,
    own_skipped           INTEGER NOT NULL DEFAULT 0,
    last_commit_at        TEXT    NULL,
    last_applied_at       TEXT    NULL,
    fallback_polls        INTEGER NOT NULL DEFAULT 0,
    last_fallback_at      TEXT    NULL,
    last_fallback_reason  TEXT    NULL,
    updated_at            TEXT    NOT NULL
);
