-- Usage-based billing. An order product's consumption schedule and its rates, as the org holds them
-- (SBQQ__OrderItemConsumptionSchedule__c and SBQQ__OrderItemConsumptionRate__c), assembled into the line's rating
-- when a book is loaded; usage records from the org or a file, idempotent by usage id; and which document took each
-- record into account (appended once, never updated).
CREATE TABLE consumption_schedule (
    schedule_id         NVARCHAR(18)  NOT NULL PRIMARY KEY,
    line_id             NVARCHAR(18)  NOT NULL,
    type                VARCHAR(20)   NOT NULL,
    billing_term        INT           NOT NULL,
    billing_term_unit   VARCHAR(20)   NOT NULL,
    unit_of_measure     NVARCHAR(255) NULL,
    matching_attribute  NVARCHAR(255) NULL,
    active              BIT           NOT NULL,
    updated_at          VARCHAR(40)   NOT NULL
);
GO
CREATE INDEX ix_consumption_schedule_line ON consumption_schedule (line_id);
GO
CREATE TABLE consumption_rate (
    rate_id           NVARCHAR(18) NOT NULL PRIMARY KEY,
    schedule_id       NVARCHAR(18) NOT NULL,
    processing_order  INT          NULL,
    lower_bound       VARCHAR(40)  NOT NULL,
    upper_bound       VARCHAR(40)  NULL,
    price             VARCHAR(40)  NOT NULL,
    pricing_method    VARCHAR(20)  NOT NULL,
    updated_at        VARCHAR(40)  NOT NULL
);
GO
CREATE INDEX ix_consumption_rate_schedule ON consumption_rate (schedule_id);
GO
CREATE TABLE usage_record (
    usage_id            NVARCHAR(80)  NOT NULL PRIMARY KEY,
    line_id             NVARCHAR(18)  NOT NULL,
    usage_date          CHAR(10)      NOT NULL,
    quantity            VARCHAR(40)   NOT NULL,
    unit_of_measure     NVARCHAR(255) NULL,
    matching_attribute  NVARCHAR(255) NULL,
    source              NVARCHAR(255) NOT NULL,
    source_record_id    NVARCHAR(18)  NULL,
    received_at         VARCHAR(40)   NOT NULL
);
GO
CREATE INDEX ix_usage_record_line ON usage_record (line_id);
GO
CREATE TABLE usage_billed (
    usage_id   NVARCHAR(80) NOT NULL PRIMARY KEY,
    document   NVARCHAR(40) NULL,
    billed_at  VARCHAR(40)  NOT NULL
);
GO
ALTER TABLE invoice_line ADD usage_detail NVARCHAR(MAX) NULL;
GO
ALTER TABLE credit_note_line ADD usage_detail NVARCHAR(MAX) NULL;
