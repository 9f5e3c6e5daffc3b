-- The billing engine: invoice details (unit price, exemptions, withholding, installments, batches), credit notes,
-- the billing ledger that replaces billed_charge, and receivables (payments, allocations, refunds, disputes).
-- Posted documents are made immutable by triggers: corrections are new rows (credit notes).

ALTER TABLE invoice ADD COLUMN batch TEXT NULL;
ALTER TABLE invoice ADD COLUMN withheld_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoice_line ADD COLUMN unit_price TEXT NULL;
ALTER TABLE invoice_line ADD COLUMN tax_exempt_reason TEXT NULL;
ALTER TABLE invoice_line ADD COLUMN withholding_percent TEXT NOT NULL DEFAULT '0';
ALTER TABLE invoice_line ADD COLUMN revises TEXT NULL;
ALTER TABLE order_line ADD COLUMN revises_line_id TEXT NULL;
ALTER TABLE order_line ADD COLUMN hold_billing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_line ADD COLUMN next_billing_date TEXT NULL;
ALTER TABLE billing_account ADD COLUMN billing_day_of_month INTEGER NULL;
ALTER TABLE sales_order ADD COLUMN invoice_batch TEXT NULL;
ALTER TABLE sales_order ADD COLUMN payment_terms TEXT NULL;
ALTER TABLE order_line ADD COLUMN contract_id TEXT NULL;

CREATE TABLE contract_term (
    contract_id  TEXT PRIMARY KEY,
    end_date     TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE invoice_tax_group (
    invoice_id        INTEGER NOT NULL REFERENCES invoice (id),
    group_number      INTEGER NOT NULL,
    tax_rate_percent  TEXT    NOT NULL,
    exempt_reason     TEXT    NULL,
    base_minor        INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, group_number)
);
INSERT INTO invoice_tax_group (invoice_id, group_number, tax_rate_percent, exempt_reason, base_minor, tax_minor)
SELECT invoice_id, ROW_NUMBER() OVER (PARTITION BY invoice_id ORDER BY CAST(tax_rate_percent AS REAL)), tax_rate_percent, NULL, base_minor, tax_minor
FROM   invoice_tax;
DROP TABLE invoice_tax;

CREATE INDEX ix_sales_order_account ON sales_order (account_id);
CREATE TABLE invoice_withholding (
    invoice_id      INTEGER NOT NULL REFERENCES invoice (id),
    rate_percent    TEXT    NOT NULL,
    base_minor      INTEGER NOT NULL,
    withheld_minor  INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, rate_percent)
);

CREATE TABLE invoice_installment (
    invoice_id    INTEGER NOT NULL REFERENCES invoice (id),
    number        INTEGER NOT NULL,
    due_date      TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, number)
);

CREATE TABLE credit_note (
    id                   INTEGER PRIMARY KEY,
    number               TEXT    NOT NULL UNIQUE,
    account_id           TEXT    NOT NULL,
    currency             TEXT    NOT NULL,
    issue_date           TEXT    NOT NULL,
    corrects_invoice_id  INTEGER NOT NULL REFERENCES invoice (id),
    corrects_number      TEXT    NOT NULL,
    corrects_issue_date  TEXT    NOT NULL,
    reason               TEXT    NOT NULL,
    net_minor            INTEGER NOT NULL,
    tax_minor            INTEGER NOT NULL,
    withheld_minor       INTEGER NOT NULL,
    total_minor          INTEGER NOT NULL,
    posted_at            TEXT    NOT NULL
);
CREATE INDEX ix_credit_note_account ON credit_note (account_id);

CREATE TABLE credit_note_line (
    credit_note_id      INTEGER NOT NULL REFERENCES credit_note (id),
    line_number         INTEGER NOT NULL,
    order_id            TEXT    NOT NULL,
    order_line_id       TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    period_start        TEXT    NOT NULL,
    period_end          TEXT    NOT NULL,
    quantity            TEXT    NOT NULL,
    unit_price          TEXT    NULL,
    proration_factor    TEXT    NOT NULL,
    net_minor           INTEGER NOT NULL,
    tax_rate_percent    TEXT    NOT NULL,
    tax_exempt_reason   TEXT    NULL,
    withholding_percent TEXT    NOT NULL,
    revises             TEXT    NULL,
    corrected_line      INTEGER NULL,
    explanation         TEXT    NOT NULL,
    PRIMARY KEY (credit_note_id, line_number)
);

CREATE TABLE credit_note_tax_group (
    credit_note_id    INTEGER NOT NULL REFERENCES credit_note (id),
    group_number      INTEGER NOT NULL,
    tax_rate_percent  TEXT    NOT NULL,
    exempt_reason     TEXT    NULL,
    base_minor        INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    PRIMARY KEY (credit_note_id, group_number)
);

CREATE TABLE credit_note_withholding (
    credit_note_id  INTEGER NOT NULL REFERENCES credit_note (id),
    rate_percent    TEXT    NOT NULL,
    base_minor      INTEGER NOT NULL,
    withheld_minor  INTEGER NOT NULL,
    PRIMARY KEY (credit_note_id, rate_percent)
);

CREATE TABLE billing_entry (
    id               INTEGER PRIMARY KEY,
    line_id          TEXT    NOT NULL,
    piece_start      TEXT    NOT NULL,
    period_start     TEXT    NOT NULL,
    period_end       TEXT    NOT NULL,
    whole_start      TEXT    NOT NULL,
    whole_end        TEXT    NOT NULL,
    factor           TEXT    NOT NULL,
    net_minor        INTEGER NOT NULL,
    document_number  TEXT    NOT NULL,
    document_line    INTEGER NOT NULL,
    invoice_number   TEXT    NOT NULL,
    is_invoice       INTEGER NOT NULL
);
CREATE INDEX ix_billing_entry_line ON billing_entry (line_id);
-- Billed charges of earlier versions become invoice entries; their whole period is not known, so it is the piece.
INSERT INTO billing_entry (line_id, piece_start, period_start, period_end, whole_start, whole_end, factor, net_minor,
                           document_number, document_line, invoice_number, is_invoice)
SELECT b.order_line_id, b.period_start, b.period_start, b.period_end, b.period_start, b.period_end,
       COALESCE(l.proration_factor, '1'), b.net_minor, i.number, COALESCE(l.line_number, 0), i.number, 1
FROM   billed_charge b
JOIN   invoice i ON i.id = b.invoice_id
LEFT JOIN invoice_line l ON l.invoice_id = b.invoice_id AND l.order_line_id = b.order_line_id AND l.period_start = b.period_start;
DROP TABLE billed_charge;

CREATE TABLE payment (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    received_on   TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL,
    recorded_at   TEXT    NOT NULL
);
CREATE INDEX ix_payment_account ON payment (account_id);

CREATE TABLE payment_reversal (
    payment_id   TEXT PRIMARY KEY REFERENCES payment (id),
    reversed_on  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE TABLE allocation (
    id              INTEGER PRIMARY KEY,
    source_kind     TEXT    NOT NULL,
    source_id       TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,
    invoice_number  TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL,
    allocated_on    TEXT    NOT NULL
);
CREATE INDEX ix_allocation_account ON allocation (account_id);

CREATE TABLE refund (
    id            INTEGER PRIMARY KEY,
    source_kind   TEXT    NOT NULL,
    source_id     TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL,
    refunded_on   TEXT    NOT NULL
);
CREATE INDEX ix_refund_account ON refund (account_id);

CREATE TABLE dispute (
    id              TEXT    PRIMARY KEY,
    account_id      TEXT    NOT NULL,
    invoice_number  TEXT    NOT NULL,
    line_number     INTEGER NULL,
    amount_minor    INTEGER NOT NULL,
    opened_on       TEXT    NOT NULL,
    reason          TEXT    NULL
);
CREATE INDEX ix_dispute_account ON dispute (account_id);

CREATE TABLE dispute_resolution (
    dispute_id          TEXT PRIMARY KEY REFERENCES dispute (id),
    outcome             TEXT NOT NULL,
    resolved_on         TEXT NOT NULL,
    credit_note_number  TEXT NULL
);

-- Payments as the org records them (the mapping's payment source), waiting to be applied by the next invoice run.
CREATE TABLE incoming_payment (
    payment_id        TEXT    PRIMARY KEY,
    object_name       TEXT    NOT NULL,
    account_id        TEXT    NOT NULL,
    amount            TEXT    NOT NULL,
    received_on       TEXT    NOT NULL,
    invoice_number    TEXT    NULL,
    reversed          INTEGER NOT NULL,
    applied           INTEGER NOT NULL DEFAULT 0,
    reversal_applied  INTEGER NOT NULL DEFAULT 0,
    updated_at        TEXT    NOT NULL
);

-- What the write-back last learned about each invoice and account (a hash of the facts), so that facts are queued
-- exactly when figures change, an invoice turning overdue with time included.
CREATE TABLE fact_state (
    topic         TEXT NOT NULL,
    entity_key    TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    payload_hash  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (topic, entity_key)
);
CREATE INDEX ix_fact_state_account ON fact_state (account_id);

CREATE TRIGGER tr_invoice_no_update BEFORE UPDATE ON invoice BEGIN SELECT RAISE(ABORT, 'posted invoices never change; correct them with a credit note'); END;
CREATE TRIGGER tr_invoice_no_delete BEFORE DELETE ON invoice BEGIN SELECT RAISE(ABORT, 'posted invoices never change; correct them with a credit note'); END;
CREATE TRIGGER tr_invoice_line_no_update BEFORE UPDATE ON invoice_line BEGIN SELECT RAISE(ABORT, 'posted invoices never change; correct them with a credit note'); END;
CREATE TRIGGER tr_invoice_line_no_delete BEFORE DELETE ON invoice_line BEGIN SELECT RAISE(ABORT, 'posted invoices never change; correct them with a credit note'); END;
CREATE TRIGGER tr_credit_note_no_update BEFORE UPDATE ON credit_note BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
CREATE TRIGGER tr_credit_note_no_delete BEFORE DELETE ON credit_note BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
CREATE TRIGGER tr_credit_note_line_no_update BEFORE UPDATE ON credit_note_line BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
CREATE TRIGGER tr_credit_note_line_no_delete BEFORE DELETE ON credit_note_line BEGIN SELECT RAISE(ABORT, 'posted credit notes never change'); END;
