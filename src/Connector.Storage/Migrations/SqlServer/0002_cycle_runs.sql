CREATE TABLE cycle_run (
    id           BIGINT IDENTITY(1,1) PRIMARY KEY,
    kind         VARCHAR(40)    NOT NULL,
    started_at   VARCHAR(40)    NOT NULL,
    finished_at  VARCHAR(40)    NOT NULL,
    outcome      VARCHAR(20)    NOT NULL,
    summary      NVARCHAR(MAX)  NOT NULL,
    error        NVARCHAR(2000) NULL
);
GO
CREATE INDEX ix_cycle_run_kind ON cycle_run (kind, id);
