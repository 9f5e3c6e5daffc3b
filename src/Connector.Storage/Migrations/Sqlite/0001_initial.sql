CREATE TABLE source_record (
    id               INTEGER PRIMARY KEY,
    object_name      TEXT    NOT NULL,
    record_id        TEXT    NOT NULL,
    system_modstamp  TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    ingested_at      TEXT    NOT NULL,
    UNIQUE (object_name, record_id, system_modstamp)
);

CREATE TABLE sync_watermark (
    object_name      TEXT PRIMARY KEY,
    high_water_mark  TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE billing_account (
    account_id   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    street       TEXT NULL,
    city         TEXT NULL,
    postal_code  TEXT NULL,
    country      TEXT NULL,
    tax_id       TEXT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE sales_order (
    order_id          TEXT PRIMARY KEY,
    order_number      TEXT NOT NULL,
    account_id        TEXT NOT NULL,
    currency          TEXT NOT NULL,
    payment_term_days INTEGER NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE order_line (
    line_id           TEXT PRIMARY KEY,
    order_id          TEXT NOT NULL,
    product_name      TEXT NOT NULL,
    charge_type       TEXT NOT NULL,
    frequency         TEXT NULL,
    timing            TEXT NOT NULL,
    quantity          TEXT NOT NULL,
    total_price       TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    end_date          TEXT NULL,
    term_months       TEXT NULL,
    prorate_multiplier TEXT NOT NULL,
    tax_rate_percent  TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX ix_order_line_order ON order_line (order_id);

CREATE TABLE number_series (
    series      TEXT PRIMARY KEY,
    next_value  INTEGER NOT NULL
);

CREATE TABLE invoice (
    id            INTEGER PRIMARY KEY,
    number        TEXT    NOT NULL UNIQUE,
    status        TEXT    NOT NULL,
    account_id    TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    issue_date    TEXT    NOT NULL,
    due_date      TEXT    NOT NULL,
    seller        TEXT    NOT NULL,
    buyer         TEXT    NOT NULL,
    net_minor     INTEGER NOT NULL,
    tax_minor     INTEGER NOT NULL,
    total_minor   INTEGER NOT NULL,
    posted_at     TEXT    NOT NULL
);
CREATE INDEX ix_invoice_account ON invoice (account_id);

CREATE TABLE invoice_line (
    invoice_id        INTEGER NOT NULL REFERENCES invoice (id),
    line_number       INTEGER NOT NULL,
    order_id          TEXT    NOT NULL,
    order_line_id     TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    period_start      TEXT    NOT NULL,
    period_end        TEXT    NOT NULL,
    quantity          TEXT    NOT NULL,
    proration_factor  TEXT    NOT NULL,
    net_minor         INTEGER NOT NULL,
    tax_rate_percent  TEXT    NOT NULL,
    explanation       TEXT    NOT NULL,
    PRIMARY KEY (invoice_id, line_number)
);

CREATE TABLE invoice_tax (
    invoice_id        INTEGER NOT NULL REFERENCES invoice (id),
    tax_rate_percent  TEXT    NOT NULL,
    base_minor        INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, tax_rate_percent)
);

CREATE TABLE billed_charge (
    id            INTEGER PRIMARY KEY,
    order_line_id TEXT    NOT NULL,
    period_start  TEXT    NOT NULL,
    period_end    TEXT    NOT NULL,
    invoice_id    INTEGER NOT NULL REFERENCES invoice (id),
    net_minor     INTEGER NOT NULL,
    UNIQUE (order_line_id, period_start, period_end)
);

CREATE TABLE document (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL UNIQUE REFERENCES invoice (id),
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    content       BLOB    NOT NULL,
    content_hash  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    topic           TEXT    NOT NULL,
    entity_key      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT    NULL,
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    completed_at    TEXT    NULL
);
CREATE INDEX ix_outbox_pending ON outbox (status, next_attempt_at);

CREATE TABLE remote_record (
    object_name   TEXT NOT NULL,
    entity_key    TEXT NOT NULL,
    remote_id     TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (object_name, entity_key)
);

CREATE TABLE quarantine (
    id            INTEGER PRIMARY KEY,
    object_name   TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (object_name, record_id, reason)
);
