-- Usage-based billing. An order product's consumption schedule and its rates, as the org holds them
-- (SBQQ__OrderItemConsumptionSchedule__c and SBQQ__OrderItemConsumptionRate__c), assembled into the line's rating
-- when a book is loaded; usage records from the org or a file, idempotent by usage id; and which document took each
-- record into account (appended once, never updated).
CREATE TABLE consumption_schedule (
    schedule_id         TEXT    PRIMARY KEY,
    line_id             TEXT    NOT NULL,
    type                TEXT    NOT NULL,
    billing_term        INTEGER NOT NULL,
    billing_term_unit   TEXT    NOT NULL,
    unit_of_measure     TEXT    NULL,
    matching_attribute  TEXT    NULL,
    active              INTEGER NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX ix_consumption_schedule_line ON consumption_schedule (line_id);

CREATE TABLE consumption_rate (
    rate_id           TEXT    PRIMARY KEY,
    schedule_id       TEXT    NOT NULL,
    processing_order  INTEGER NULL,
    lower_bound       TEXT    NOT NULL,
    upper_bound       TEXT    NULL,
    price             TEXT    NOT NULL,
    pricing_method    TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX ix_consumption_rate_schedule ON consumption_rate (schedule_id);

CREATE TABLE usage_record (
    usage_id            TEXT    PRIMARY KEY,
    line_id             TEXT    NOT NULL,
    usage_date          TEXT    NOT NULL,
    quantity            TEXT    NOT NULL,
    unit_of_measure     TEXT    NULL,
    matching_attribute  TEXT    NULL,
    source              TEXT    NOT NULL,
    source_record_id    TEXT    NULL,
    received_at         TEXT    NOT NULL
);
CREATE INDEX ix_usage_record_line ON usage_record (line_id);

CREATE TABLE usage_billed (
    usage_id   TEXT PRIMARY KEY,
    document   TEXT NULL,
    billed_at  TEXT NOT NULL
);

ALTER TABLE invoice_line ADD COLUMN usage_detail TEXT NULL;
ALTER TABLE credit_note_line ADD COLUMN usage_detail TEXT NULL;
