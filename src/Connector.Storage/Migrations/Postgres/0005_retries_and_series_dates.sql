-- Failed attempts are counted apart from started ones: an attempt cut short by a crash counts as started (so the next
-- one looks up what may have landed) but never toward parking the row as Failed.
ALTER TABLE outbox ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
UPDATE outbox SET failures = attempts WHERE last_error IS NOT NULL;

-- The issue date of each series' last document: in a series, numbers and issue dates rise together.
ALTER TABLE number_series ADD COLUMN last_issue_date TEXT COLLATE "C" NULL;
UPDATE number_series SET last_issue_date = (
    SELECT MAX(d.issue_date)
    FROM   (SELECT number, issue_date FROM invoice UNION ALL SELECT number, issue_date FROM credit_note) d
    WHERE  left(d.number, length(number_series.series) + 1) = number_series.series || '-'
      AND  length(d.number) = length(number_series.series) + 7);

-- Billing inputs a mapping may now feed per order line: a VAT exemption reason and an income tax withholding (IRPF).
ALTER TABLE order_line ADD COLUMN tax_exempt_reason TEXT COLLATE "C" NULL;
ALTER TABLE order_line ADD COLUMN withholding_percent TEXT COLLATE "C" NULL;

-- A credit note may correct no invoice: a run whose charges for an account make a negative total posts a credit note
-- for the account instead of a negative invoice.
ALTER TABLE credit_note ALTER COLUMN corrects_invoice_id DROP NOT NULL,
                        ALTER COLUMN corrects_number DROP NOT NULL,
                        ALTER COLUMN corrects_issue_date DROP NOT NULL;
