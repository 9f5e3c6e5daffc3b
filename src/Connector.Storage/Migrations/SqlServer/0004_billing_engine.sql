-- The billing engine: invoice details (unit price, exemptions, withholding, installments, batches), credit notes,
-- the billing ledger that replaces billed_charge, and receivables (payments, allocations, refunds, disputes).
-- Posted documents are made immutable by triggers: corrections are new rows (credit notes).

ALTER TABLE invoice ADD batch NVARCHAR(80) NULL, withheld_minor BIGINT NOT NULL CONSTRAINT df_invoice_withheld DEFAULT 0;
GO
ALTER TABLE invoice_line ADD unit_price VARCHAR(40) NULL, tax_exempt_reason NVARCHAR(200) NULL,
    withholding_percent VARCHAR(40) NOT NULL CONSTRAINT df_invoice_line_withholding DEFAULT '0', revises NVARCHAR(18) NULL;
GO
ALTER TABLE order_line ADD revises_line_id NVARCHAR(18) NULL, hold_billing BIT NOT NULL CONSTRAINT df_order_line_hold DEFAULT 0,
    next_billing_date CHAR(10) NULL;
GO
ALTER TABLE billing_account ADD billing_day_of_month INT NULL;
GO
ALTER TABLE sales_order ADD invoice_batch NVARCHAR(80) NULL, payment_terms NVARCHAR(200) NULL;
GO
ALTER TABLE order_line ADD contract_id NVARCHAR(18) NULL;
GO
CREATE TABLE contract_term (
    contract_id  NVARCHAR(18) NOT NULL PRIMARY KEY,
    end_date     CHAR(10)     NOT NULL,
    updated_at   VARCHAR(40)  NOT NULL
);
GO
CREATE TABLE invoice_tax_group (
    invoice_id        BIGINT        NOT NULL REFERENCES invoice (id),
    group_number      INT           NOT NULL,
    tax_rate_percent  VARCHAR(40)   NOT NULL,
    exempt_reason     NVARCHAR(200) NULL,
    base_minor        BIGINT        NOT NULL,
    tax_minor         BIGINT        NOT NULL,
    CONSTRAINT pk_invoice_tax_group PRIMARY KEY (invoice_id, group_number)
);
GO
INSERT INTO invoice_tax_group (invoice_id, group_number, tax_rate_percent, exempt_reason, base_minor, tax_minor)
SELECT invoice_id, ROW_NUMBER() OVER (PARTITION BY invoice_id ORDER BY CAST(tax_rate_percent AS DECIMAL(9, 4))), tax_rate_percent, NULL, base_minor, tax_minor
FROM   invoice_tax;
GO
DROP TABLE invoice_tax;
GO
CREATE INDEX ix_sales_order_account ON sales_order (account_id);
GO
CREATE TABLE invoice_withholding (
    invoice_id      BIGINT      NOT NULL REFERENCES invoice (id),
    rate_percent    VARCHAR(40) NOT NULL,
    base_minor      BIGINT      NOT NULL,
    withheld_minor  BIGINT      NOT NULL,
    CONSTRAINT pk_invoice_withholding PRIMARY KEY (invoice_id, rate_percent)
);
GO
CREATE TABLE invoice_installment (
    invoice_id    BIGINT   NOT NULL REFERENCES invoice (id),
    number        INT      NOT NULL,
    due_date      CHAR(10) NOT NULL,
    amount_minor  BIGINT   NOT NULL,
    CONSTRAINT pk_invoice_installment PRIMARY KEY (invoice_id, number)
);
GO
CREATE TABLE credit_note (
    id                   BIGINT IDENTITY(1,1) PRIMARY KEY,
    number               NVARCHAR(40)   NOT NULL CONSTRAINT uq_credit_note_number UNIQUE,
    account_id           NVARCHAR(18)   NOT NULL,
    currency             CHAR(3)        NOT NULL,
    issue_date           CHAR(10)       NOT NULL,
    corrects_invoice_id  BIGINT         NOT NULL REFERENCES invoice (id),
    corrects_number      NVARCHAR(40)   NOT NULL,
    corrects_issue_date  CHAR(10)       NOT NULL,
    reason               NVARCHAR(1000) NOT NULL,
    net_minor            BIGINT         NOT NULL,
    tax_minor            BIGINT         NOT NULL,
    withheld_minor       BIGINT         NOT NULL,
    total_minor          BIGINT         NOT NULL,
    posted_at            VARCHAR(40)    NOT NULL
);
GO
CREATE INDEX ix_credit_note_account ON credit_note (account_id);
GO
CREATE TABLE credit_note_line (
    credit_note_id      BIGINT         NOT NULL REFERENCES credit_note (id),
    line_number         INT            NOT NULL,
    order_id            NVARCHAR(18)   NOT NULL,
    order_line_id       NVARCHAR(18)   NOT NULL,
    description         NVARCHAR(400)  NOT NULL,
    period_start        CHAR(10)       NOT NULL,
    period_end          CHAR(10)       NOT NULL,
    quantity            VARCHAR(40)    NOT NULL,
    unit_price          VARCHAR(40)    NULL,
    proration_factor    VARCHAR(40)    NOT NULL,
    net_minor           BIGINT         NOT NULL,
    tax_rate_percent    VARCHAR(40)    NOT NULL,
    tax_exempt_reason   NVARCHAR(200)  NULL,
    withholding_percent VARCHAR(40)    NOT NULL,
    revises             NVARCHAR(18)   NULL,
    corrected_line      INT            NULL,
    explanation         NVARCHAR(2000) NOT NULL,
    CONSTRAINT pk_credit_note_line PRIMARY KEY (credit_note_id, line_number)
);
GO
CREATE TABLE credit_note_tax_group (
    credit_note_id    BIGINT        NOT NULL REFERENCES credit_note (id),
    group_number      INT           NOT NULL,
    tax_rate_percent  VARCHAR(40)   NOT NULL,
    exempt_reason     NVARCHAR(200) NULL,
    base_minor        BIGINT        NOT NULL,
    tax_minor         BIGINT        NOT NULL,
    CONSTRAINT pk_credit_note_tax_group PRIMARY KEY (credit_note_id, group_number)
);
GO
CREATE TABLE credit_note_withholding (
    credit_note_id  BIGINT      NOT NULL REFERENCES credit_note (id),
    rate_percent    VARCHAR(40) NOT NULL,
    base_minor      BIGINT      NOT NULL,
    withheld_minor  BIGINT      NOT NULL,
    CONSTRAINT pk_credit_note_withholding PRIMARY KEY (credit_note_id, rate_percent)
);
GO
CREATE TABLE billing_entry (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    line_id          NVARCHAR(18) NOT NULL,
    piece_start      CHAR(10)     NOT NULL,
    period_start     CHAR(10)     NOT NULL,
    period_end       CHAR(10)     NOT NULL,
    whole_start      CHAR(10)     NOT NULL,
    whole_end        CHAR(10)     NOT NULL,
    factor           VARCHAR(40)  NOT NULL,
    net_minor        BIGINT       NOT NULL,
    document_number  NVARCHAR(40) NOT NULL,
    document_line    INT          NOT NULL,
    invoice_number   NVARCHAR(40) NOT NULL,
    is_invoice       BIT          NOT NULL
);
GO
CREATE INDEX ix_billing_entry_line ON billing_entry (line_id);
GO
-- Billed charges of earlier versions become invoice entries; their whole period is not known, so it is the piece.
INSERT INTO billing_entry (line_id, piece_start, period_start, period_end, whole_start, whole_end, factor, net_minor,
                           document_number, document_line, invoice_number, is_invoice)
SELECT b.order_line_id, b.period_start, b.period_start, b.period_end, b.period_start, b.period_end,
       COALESCE(l.proration_factor, '1'), b.net_minor, i.number, COALESCE(l.line_number, 0), i.number, 1
FROM   billed_charge b
JOIN   invoice i ON i.id = b.invoice_id
LEFT JOIN invoice_line l ON l.invoice_id = b.invoice_id AND l.order_line_id = b.order_line_id AND l.period_start = b.period_start;
GO
DROP TABLE billed_charge;
GO
CREATE TABLE payment (
    id            NVARCHAR(80) NOT NULL PRIMARY KEY,
    account_id    NVARCHAR(18) NOT NULL,
    currency      CHAR(3)      NOT NULL,
    received_on   CHAR(10)     NOT NULL,
    amount_minor  BIGINT       NOT NULL,
    recorded_at   VARCHAR(40)  NOT NULL
);
GO
CREATE INDEX ix_payment_account ON payment (account_id);
GO
CREATE TABLE payment_reversal (
    payment_id   NVARCHAR(80) NOT NULL PRIMARY KEY REFERENCES payment (id),
    reversed_on  CHAR(10)     NOT NULL,
    recorded_at  VARCHAR(40)  NOT NULL
);
GO
CREATE TABLE allocation (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    source_kind     VARCHAR(20)  NOT NULL,
    source_id       NVARCHAR(80) NOT NULL,
    account_id      NVARCHAR(18) NOT NULL,
    invoice_number  NVARCHAR(40) NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    allocated_on    CHAR(10)     NOT NULL
);
GO
CREATE INDEX ix_allocation_account ON allocation (account_id);
GO
CREATE TABLE refund (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    source_kind   VARCHAR(20)  NOT NULL,
    source_id     NVARCHAR(80) NOT NULL,
    account_id    NVARCHAR(18) NOT NULL,
    currency      CHAR(3)      NOT NULL,
    amount_minor  BIGINT       NOT NULL,
    refunded_on   CHAR(10)     NOT NULL
);
GO
CREATE INDEX ix_refund_account ON refund (account_id);
GO
CREATE TABLE dispute (
    id              NVARCHAR(80)   NOT NULL PRIMARY KEY,
    account_id      NVARCHAR(18)   NOT NULL,
    invoice_number  NVARCHAR(40)   NOT NULL,
    line_number     INT            NULL,
    amount_minor    BIGINT         NOT NULL,
    opened_on       CHAR(10)       NOT NULL,
    reason          NVARCHAR(1000) NULL
);
GO
CREATE INDEX ix_dispute_account ON dispute (account_id);
GO
CREATE TABLE dispute_resolution (
    dispute_id          NVARCHAR(80) NOT NULL PRIMARY KEY REFERENCES dispute (id),
    outcome             VARCHAR(20)  NOT NULL,
    resolved_on         CHAR(10)     NOT NULL,
    credit_note_number  NVARCHAR(40) NULL
);
GO
-- Payments as the org records them (the mapping's payment source), waiting to be applied by the next invoice run.
CREATE TABLE incoming_payment (
    payment_id        NVARCHAR(80) NOT NULL PRIMARY KEY,
    object_name       NVARCHAR(80) NOT NULL,
    account_id        NVARCHAR(18) NOT NULL,
    amount            VARCHAR(40)  NOT NULL,
    received_on       CHAR(10)     NOT NULL,
    invoice_number    NVARCHAR(40) NULL,
    reversed          BIT          NOT NULL,
    applied           BIT          NOT NULL CONSTRAINT df_incoming_payment_applied DEFAULT 0,
    reversal_applied  BIT          NOT NULL CONSTRAINT df_incoming_payment_reversal DEFAULT 0,
    updated_at        VARCHAR(40)  NOT NULL
);
GO
-- What the write-back last learned about each invoice and account (a hash of the facts), so that facts are queued
-- exactly when figures change, an invoice turning overdue with time included.
CREATE TABLE fact_state (
    topic         VARCHAR(20)  NOT NULL,
    entity_key    NVARCHAR(40) NOT NULL,
    account_id    NVARCHAR(18) NOT NULL,
    payload_hash  CHAR(64)     NOT NULL,
    updated_at    VARCHAR(40)  NOT NULL,
    CONSTRAINT pk_fact_state PRIMARY KEY (topic, entity_key)
);
GO
CREATE INDEX ix_fact_state_account ON fact_state (account_id);
GO
CREATE TRIGGER tr_invoice_immutable ON invoice INSTEAD OF UPDATE, DELETE AS
    THROW 50010, 'Posted invoices never change; correct them with a credit note.', 1;
GO
CREATE TRIGGER tr_invoice_line_immutable ON invoice_line INSTEAD OF UPDATE, DELETE AS
    THROW 50010, 'Posted invoices never change; correct them with a credit note.', 1;
GO
CREATE TRIGGER tr_credit_note_immutable ON credit_note INSTEAD OF UPDATE, DELETE AS
    THROW 50011, 'Posted credit notes never change.', 1;
GO
CREATE TRIGGER tr_credit_note_line_immutable ON credit_note_line INSTEAD OF UPDATE, DELETE AS
    THROW 50011, 'Posted credit notes never change.', 1;
