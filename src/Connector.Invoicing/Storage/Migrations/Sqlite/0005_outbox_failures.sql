-- Failed attempts are counted apart from started ones: an attempt cut short by a crash counts as started (so the next
-- one looks up what may have landed) but never toward parking the row as Failed.
ALTER TABLE outbox ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET failures = attempts WHERE last_error IS NOT NULL;
