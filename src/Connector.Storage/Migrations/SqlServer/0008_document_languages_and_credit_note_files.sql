-- The language an account's documents are printed in (en, es, de, da), when the org maps one; else its billing
-- country's language, else the configured default, chosen when a document is posted and kept in its buyer.
ALTER TABLE billing_account ADD language NVARCHAR(10) NULL;
GO

-- The legal entity that bills an order (Connector:Billing:LegalEntities), when the org maps one; else the first.
ALTER TABLE sales_order ADD legal_entity NVARCHAR(80) NULL;
GO

-- Each posted credit note's rendered PDF, stored once like an invoice's (document), and uploaded to its credit note
-- record in the org.
CREATE TABLE credit_note_document (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    credit_note_id  BIGINT         NOT NULL CONSTRAINT uq_credit_note_document UNIQUE REFERENCES credit_note (id),
    file_name       NVARCHAR(255)  NOT NULL,
    content_type    VARCHAR(100)   NOT NULL,
    content         VARBINARY(MAX) NOT NULL,
    content_hash    CHAR(64)       NOT NULL,
    created_at      VARCHAR(40)    NOT NULL
);
