-- The buyer's electronic address (a Peppol participant: id and its ISO 6523 / EAS scheme) and the reference its
-- invoices must quote (EN 16931 BT-10; Germany's Leitweg-ID), when the org maps them; frozen in a posted buyer.
ALTER TABLE billing_account ADD COLUMN endpoint_id TEXT NULL;
ALTER TABLE billing_account ADD COLUMN endpoint_scheme TEXT NULL;
ALTER TABLE billing_account ADD COLUMN buyer_reference TEXT NULL;

-- Each posted invoice's and credit note's structured file (UBL 2.1, EN 16931), written once from the posted document
-- and never changed, uploaded to its record in the org beside the PDF. owner is 'Invoice' or 'CreditNote'.
CREATE TABLE e_invoice_document (
    id              INTEGER PRIMARY KEY,
    owner           TEXT    NOT NULL,
    owner_id        INTEGER NOT NULL,
    format          TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    content_hash    TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    UNIQUE (owner, owner_id, format)
);
