-- The language an account's documents are printed in (en, es, de, da), when the org maps one; else its billing
-- country's language, else the configured default, chosen when a document is posted and kept in its buyer.
ALTER TABLE billing_account ADD COLUMN language TEXT NULL;

-- The legal entity that bills an order (Connector:Billing:LegalEntities), when the org maps one; else the first.
ALTER TABLE sales_order ADD COLUMN legal_entity TEXT NULL;

-- Each posted credit note's rendered PDF, stored once like an invoice's (document), and uploaded to its credit note
-- record in the org.
CREATE TABLE credit_note_document (
    id              INTEGER PRIMARY KEY,
    credit_note_id  INTEGER NOT NULL UNIQUE REFERENCES credit_note (id),
    file_name       TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    content_hash    TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
