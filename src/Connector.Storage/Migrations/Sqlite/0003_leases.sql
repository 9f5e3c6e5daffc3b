CREATE TABLE lease (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    acquired_at  TEXT NOT NULL
);
