CREATE TABLE cycle_run (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    summary      TEXT NOT NULL,
    error        TEXT NULL
);
CREATE INDEX ix_cycle_run_kind ON cycle_run (kind, id);
