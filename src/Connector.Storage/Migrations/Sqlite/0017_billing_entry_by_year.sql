-- The performance issue's "cost follows due work, not history". Each month's save adds an entry to nearly every line,
-- and an index led by line_id takes each at the line's place among all its earlier ones: every leaf page of it was
-- rewritten by every month's save, so a save's writes grew with history (the billing bench's index reached 11,273
-- pages after thirteen months, and the month's commit took 0.72 s in its first month, 0.95 s in its thirteenth and
-- 1.25 s in its twenty-fifth). Led by the year the entry's whole period ends in, the index takes a month's entries in
-- the pages of the years still open; a load asks for each year from its first to the last stored (a handful).
-- whole_year is computed from whole_end by the database (a generated column): no statement writes it, so no writer,
-- an older connector's after a rollback included, can store an entry under a year it does not end in (a load would
-- then miss the entry, and bill its piece again).
ALTER TABLE billing_entry ADD COLUMN whole_year INTEGER GENERATED ALWAYS AS (CAST(substr(whole_end, 1, 4) AS INTEGER)) VIRTUAL;
CREATE INDEX ix_billing_entry_year_line ON billing_entry (whole_year, line_id, whole_end);
DROP INDEX ix_billing_entry_line_whole;
