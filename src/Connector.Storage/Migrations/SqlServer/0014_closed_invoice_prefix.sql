-- The performance issue: a run must not read an account's whole invoice history to sum what is closed. closed_prefix
-- keeps, per account and currency, payable_minor: the payable of every invoice due before through that can close (a
-- positive payable, due whole: not split in installments). Posted invoices never change, so the sum stays true; a run's
-- load reads only the invoices due on or after through (or on or after open_since, the earliest due date of an invoice
-- of the account that never closes, when that is earlier) and counts the prefix as more than 90 days overdue, which it
-- is while through is at least 90 days before the run's day. The index serves those reads by account and due date.
CREATE TABLE closed_prefix (
    account_id     NVARCHAR(18) NOT NULL,
    currency       CHAR(3)      NOT NULL,
    through        CHAR(10)     NOT NULL,
    payable_minor  BIGINT       NOT NULL,
    open_since     CHAR(10)     NULL,
    PRIMARY KEY (account_id, currency)
);
GO
CREATE INDEX ix_invoice_account_due ON invoice (account_id, due_date);
GO
DROP INDEX ix_invoice_account ON invoice;
