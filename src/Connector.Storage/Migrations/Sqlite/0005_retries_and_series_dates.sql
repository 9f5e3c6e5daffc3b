-- Failed attempts are counted apart from started ones: an attempt cut short by a crash counts as started (so the next
-- one looks up what may have landed) but never toward parking the row as Failed.
ALTER TABLE outbox ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET failures = attempts WHERE last_error IS NOT NULL;

-- The issue date of each series' last document: in a series, numbers and issue dates rise together.
ALTER TABLE number_series ADD COLUMN last_issue_date TEXT NULL;
UPDATE number_series SET last_issue_date = (
    SELECT MAX(d.issue_date)
    FROM   (SELECT number, issue_date FROM invoice UNION ALL SELECT number, issue_date FROM credit_note) d
    WHERE  substr(d.number, 1, length(number_series.series) + 1) = number_series.series || '-'
      AND  length(d.number) = length(number_series.series) + 7);

-- Billing inputs a mapping may now feed per order line: a VAT exemption reason and an income tax withholding (IRPF).
ALTER TABLE order_line ADD COLUMN tax_exempt_reason TEXT NULL;
ALTER TABLE order_line ADD COLUMN withholding_percent TEXT NULL;

-- A credit note may correct no invoice: a run whose charges for an account make a negative total posts a credit note
-- for the account instead of a negative invoice. SQLite cannot drop NOT NULL in place: the table is rebuilt and its
-- immutability triggers and index recreated (the migrator runs SQLite migrations with foreign keys off and checks
-- them all before commit, SQLite's own procedure for such changes).
DROP TRIGGER tr_credit_note_no_update;
DROP TRIGGER tr_credit_note_no_delete;
CREATE TABLE credit_note_new (
    id                   INTEGER PRIMARY KEY,
    number               TEXT    NOT NULL UNIQUE,
    account_id           TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    issue_date           TEXT    NOT NULL,
    corrects_invoice_id  INTEGER NULL REFERENCES invoice (id),
    corrects_number      TEXT    NULL,
    corrects_issue_date  TEXT    NULL,
    reason               TEXT    NOT NULL,
    net_minor            INTEGER NOT NULL,
    tax_minor            INTEGER NOT NULL,
    withheld_minor       INTEGER NOT NULL,
    total_minor          INTEGER NOT NULL,
    posted_at            TEXT    NOT NULL
);
INSERT INTO credit_note_new (id, number, account_id, currency, issue_date, corrects_invoice_id, corrects_number, corrects_issue_date,
                             reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at)
SELECT id, number, account_id, currency, issue_date, corrects_invoice_id, corrects_number, corrects_issue_date,
       reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at
FROM   credit_note;
DROP TABLE credit_note;
ALTER TABLE credit_note_new RENAME TO credit_note;
CREATE INDEX ix_credit_note_account ON credit_note (account_id);
CREATE TRIGGER tr_credit_note_no_update BEFORE UPDATE ON credit_note BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
CREATE TRIGGER tr_credit_note_no_delete BEFORE DELETE ON credit_note BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
