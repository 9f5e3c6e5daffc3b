-- Usage-based billing. An order product's consumption schedule and its rates, as the org holds them
-- (SBQQ__OrderItemConsumptionSchedule__c and SBQQ__OrderItemConsumptionRate__c), assembled into the line's rating
-- when a book is loaded; usage records from the org or a file, idempotent by usage id; and which document took each
-- record into account (appended once, never updated).
CREATE TABLE consumption_schedule (
    schedule_id         TEXT COLLATE "C"    PRIMARY KEY,
    line_id             TEXT COLLATE "C"    NOT NULL,
    type                TEXT COLLATE "C"    NOT NULL,
    billing_term        BIGINT NOT NULL,
    billing_term_unit   TEXT COLLATE "C"    NOT NULL,
    unit_of_measure     TEXT COLLATE "C"    NULL,
    matching_attribute  TEXT COLLATE "C"    NULL,
    active              BIGINT NOT NULL,
    updated_at          TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX ix_consumption_schedule_line ON consumption_schedule (line_id);

CREATE TABLE consumption_rate (
    rate_id           TEXT COLLATE "C"    PRIMARY KEY,
    schedule_id       TEXT COLLATE "C"    NOT NULL,
    processing_order  BIGINT NULL,
    lower_bound       TEXT COLLATE "C"    NOT NULL,
    upper_bound       TEXT COLLATE "C"    NULL,
    price             TEXT COLLATE "C"    NOT NULL,
    pricing_method    TEXT COLLATE "C"    NOT NULL,
    updated_at        TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX ix_consumption_rate_schedule ON consumption_rate (schedule_id);

CREATE TABLE usage_record (
    usage_id            TEXT COLLATE "C"    PRIMARY KEY,
    line_id             TEXT COLLATE "C"    NOT NULL,
    usage_date          TEXT COLLATE "C"    NOT NULL,
    quantity            TEXT COLLATE "C"    NOT NULL,
    unit_of_measure     TEXT COLLATE "C"    NULL,
    matching_attribute  TEXT COLLATE "C"    NULL,
    source              TEXT COLLATE "C"    NOT NULL,
    source_record_id    TEXT COLLATE "C"    NULL,
    received_at         TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX ix_usage_record_line ON usage_record (line_id);

CREATE TABLE usage_billed (
    usage_id   TEXT COLLATE "C" PRIMARY KEY,
    document   TEXT COLLATE "C" NULL,
    billed_at  TEXT COLLATE "C" NOT NULL
);

ALTER TABLE invoice_line ADD COLUMN usage_detail TEXT COLLATE "C" NULL;
ALTER TABLE credit_note_line ADD COLUMN usage_detail TEXT COLLATE "C" NULL;
