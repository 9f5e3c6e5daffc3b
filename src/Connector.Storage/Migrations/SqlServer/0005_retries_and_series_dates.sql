-- Failed attempts are counted apart from started ones: an attempt cut short by a crash counts as started (so the next
-- one looks up what may have landed) but never toward parking the row as Failed.
ALTER TABLE outbox ADD failures INT NOT NULL CONSTRAINT df_outbox_failures DEFAULT 0;
GO
UPDATE outbox SET failures = attempts WHERE last_error IS NOT NULL;
GO
-- The issue date of each series' last document: in a series, numbers and issue dates rise together.
ALTER TABLE number_series ADD last_issue_date CHAR(10) NULL;
GO
UPDATE number_series SET last_issue_date = (
    SELECT MAX(d.issue_date)
    FROM   (SELECT number, issue_date FROM invoice UNION ALL SELECT number, issue_date FROM credit_note) d
    WHERE  LEFT(d.number, LEN(number_series.series) + 1) = number_series.series + '-'
      AND  LEN(d.number) = LEN(number_series.series) + 7);
GO
-- Billing inputs a mapping may now feed per order line: a VAT exemption reason and an income tax withholding (IRPF).
ALTER TABLE order_line ADD tax_exempt_reason NVARCHAR(255) NULL, withholding_percent VARCHAR(40) NULL;
GO
-- A credit note may correct no invoice: a run whose charges for an account make a negative total posts a credit note
-- for the account instead of a negative invoice.
ALTER TABLE credit_note ALTER COLUMN corrects_invoice_id BIGINT NULL;
GO
ALTER TABLE credit_note ALTER COLUMN corrects_number NVARCHAR(40) NULL;
GO
ALTER TABLE credit_note ALTER COLUMN corrects_issue_date CHAR(10) NULL;
GO
