CREATE TABLE lease (
    name         TEXT COLLATE "C" PRIMARY KEY,
    holder       TEXT COLLATE "C" NOT NULL,
    expires_at   TEXT COLLATE "C" NOT NULL,
    acquired_at  TEXT COLLATE "C" NOT NULL
);
