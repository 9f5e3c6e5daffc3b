-- The buyer's electronic address (a Peppol participant: id and its ISO 6523 / EAS scheme) and the reference its
-- invoices must quote (EN 16931 BT-10; Germany's Leitweg-ID), when the org maps them; frozen in a posted buyer.
ALTER TABLE billing_account ADD endpoint_id NVARCHAR(255) NULL, endpoint_scheme NVARCHAR(10) NULL, buyer_reference NVARCHAR(255) NULL;
GO

-- Each posted invoice's and credit note's structured file (UBL 2.1, EN 16931), written once from the posted document
-- and never changed, uploaded to its record in the org beside the PDF. owner is 'Invoice' or 'CreditNote'.
CREATE TABLE e_invoice_document (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    owner           VARCHAR(20)    NOT NULL,
    owner_id        BIGINT         NOT NULL,
    format          VARCHAR(20)    NOT NULL,
    file_name       NVARCHAR(255)  NOT NULL,
    content_type    VARCHAR(100)   NOT NULL,
    content         VARBINARY(MAX) NOT NULL,
    content_hash    CHAR(64)       NOT NULL,
    created_at      VARCHAR(40)    NOT NULL,
    CONSTRAINT uq_e_invoice_document UNIQUE (owner, owner_id, format)
);
