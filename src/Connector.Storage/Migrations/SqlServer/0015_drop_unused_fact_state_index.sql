-- No statement reads fact_state by account: the write-back looks facts up by topic and key (the primary key). The
-- index on account_id only cost each new invoice's first fact a write at a random place, which grew with history (the
-- billing bench's index reached 2,142 pages after a year, every one of them rewritten by each month's save).
DROP INDEX ix_fact_state_account ON fact_state;
