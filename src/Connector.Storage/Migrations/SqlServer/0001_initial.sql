CREATE TABLE source_record (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    object_name      NVARCHAR(80)  NOT NULL,
    record_id        NVARCHAR(18)  NOT NULL,
    system_modstamp  VARCHAR(40)   NOT NULL,
    payload          NVARCHAR(MAX) NOT NULL,
    ingested_at      VARCHAR(40)   NOT NULL,
    CONSTRAINT uq_source_record UNIQUE (object_name, record_id, system_modstamp)
);
GO
CREATE TABLE sync_watermark (
    object_name      NVARCHAR(80) NOT NULL PRIMARY KEY,
    high_water_mark  VARCHAR(40)  NOT NULL,
    updated_at       VARCHAR(40)  NOT NULL
);
GO
CREATE TABLE billing_account (
    account_id   NVARCHAR(18)  NOT NULL PRIMARY KEY,
    name         NVARCHAR(255) NOT NULL,
    street       NVARCHAR(255) NULL,
    city         NVARCHAR(80)  NULL,
    postal_code  NVARCHAR(20)  NULL,
    country      NVARCHAR(80)  NULL,
    tax_id       NVARCHAR(40)  NULL,
    updated_at   VARCHAR(40)   NOT NULL
);
GO
CREATE TABLE sales_order (
    order_id          NVARCHAR(18) NOT NULL PRIMARY KEY,
    order_number      NVARCHAR(30) NOT NULL,
    account_id        NVARCHAR(18) NOT NULL,
    currency          CHAR(3)      NOT NULL,
    payment_term_days INT          NOT NULL,
    updated_at        VARCHAR(40)  NOT NULL
);
GO
CREATE TABLE order_line (
    line_id            NVARCHAR(18)  NOT NULL PRIMARY KEY,
    order_id           NVARCHAR(18)  NOT NULL,
    product_name       NVARCHAR(255) NOT NULL,
    charge_type        VARCHAR(20)   NOT NULL,
    frequency          VARCHAR(20)   NULL,
    timing             VARCHAR(20)   NOT NULL,
    quantity           VARCHAR(40)   NOT NULL,
    total_price        VARCHAR(40)   NOT NULL,
    start_date         CHAR(10)      NOT NULL,
    end_date           CHAR(10)      NULL,
    term_months        VARCHAR(40)   NULL,
    prorate_multiplier VARCHAR(40)   NOT NULL,
    tax_rate_percent   VARCHAR(40)   NOT NULL,
    updated_at         VARCHAR(40)   NOT NULL
);
GO
CREATE INDEX ix_order_line_order ON order_line (order_id);
GO
CREATE TABLE number_series (
    series      NVARCHAR(40) NOT NULL PRIMARY KEY,
    next_value  BIGINT       NOT NULL
);
GO
CREATE TABLE invoice (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    number        NVARCHAR(40)   NOT NULL CONSTRAINT uq_invoice_number UNIQUE,
    status        VARCHAR(20)    NOT NULL,
    account_id    NVARCHAR(18)   NOT NULL,
    currency      CHAR(3)        NOT NULL,
    issue_date    CHAR(10)       NOT NULL,
    due_date      CHAR(10)       NOT NULL,
    seller        NVARCHAR(MAX)  NOT NULL,
    buyer         NVARCHAR(MAX)  NOT NULL,
    net_minor     BIGINT         NOT NULL,
    tax_minor     BIGINT         NOT NULL,
    total_minor   BIGINT         NOT NULL,
    posted_at     VARCHAR(40)    NOT NULL
);
GO
CREATE INDEX ix_invoice_account ON invoice (account_id);
GO
CREATE TABLE invoice_line (
    invoice_id        BIGINT        NOT NULL REFERENCES invoice (id),
    line_number       INT           NOT NULL,
    order_id          NVARCHAR(18)  NOT NULL,
    order_line_id     NVARCHAR(18)  NOT NULL,
    description       NVARCHAR(400) NOT NULL,
    period_start      CHAR(10)      NOT NULL,
    period_end        CHAR(10)      NOT NULL,
    quantity          VARCHAR(40)   NOT NULL,
    proration_factor  VARCHAR(40)   NOT NULL,
    net_minor         BIGINT        NOT NULL,
    tax_rate_percent  VARCHAR(40)   NOT NULL,
    explanation       NVARCHAR(1000) NOT NULL,
    CONSTRAINT pk_invoice_line PRIMARY KEY (invoice_id, line_number)
);
GO
CREATE TABLE invoice_tax (
    invoice_id        BIGINT      NOT NULL REFERENCES invoice (id),
    tax_rate_percent  VARCHAR(40) NOT NULL,
    base_minor        BIGINT      NOT NULL,
    tax_minor         BIGINT      NOT NULL,
    CONSTRAINT pk_invoice_tax PRIMARY KEY (invoice_id, tax_rate_percent)
);
GO
CREATE TABLE billed_charge (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    order_line_id NVARCHAR(18) NOT NULL,
    period_start  CHAR(10)     NOT NULL,
    period_end    CHAR(10)     NOT NULL,
    invoice_id    BIGINT       NOT NULL REFERENCES invoice (id),
    net_minor     BIGINT       NOT NULL,
    CONSTRAINT uq_billed_charge UNIQUE (order_line_id, period_start, period_end)
);
GO
CREATE TABLE document (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    invoice_id    BIGINT         NOT NULL CONSTRAINT uq_document_invoice UNIQUE REFERENCES invoice (id),
    file_name     NVARCHAR(255)  NOT NULL,
    content_type  VARCHAR(100)   NOT NULL,
    content       VARBINARY(MAX) NOT NULL,
    content_hash  CHAR(64)       NOT NULL,
    created_at    VARCHAR(40)    NOT NULL
);
GO
CREATE TABLE outbox (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    topic           VARCHAR(40)    NOT NULL,
    entity_key      NVARCHAR(100)  NOT NULL,
    payload         NVARCHAR(MAX)  NOT NULL,
    status          VARCHAR(20)    NOT NULL,
    attempts        INT            NOT NULL,
    last_error      NVARCHAR(2000) NULL,
    next_attempt_at VARCHAR(40)    NOT NULL,
    created_at      VARCHAR(40)    NOT NULL,
    completed_at    VARCHAR(40)    NULL
);
GO
CREATE INDEX ix_outbox_pending ON outbox (status, next_attempt_at);
GO
CREATE TABLE remote_record (
    object_name   NVARCHAR(80)  NOT NULL,
    entity_key    NVARCHAR(100) NOT NULL,
    remote_id     NVARCHAR(18)  NOT NULL,
    updated_at    VARCHAR(40)   NOT NULL,
    CONSTRAINT pk_remote_record PRIMARY KEY (object_name, entity_key)
);
GO
CREATE TABLE quarantine (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    object_name   NVARCHAR(80)   NOT NULL,
    record_id     NVARCHAR(18)   NOT NULL,
    reason        NVARCHAR(400)  NOT NULL,
    payload       NVARCHAR(MAX)  NOT NULL,
    status        VARCHAR(20)    NOT NULL,
    created_at    VARCHAR(40)    NOT NULL,
    CONSTRAINT uq_quarantine UNIQUE (object_name, record_id, reason)
);
