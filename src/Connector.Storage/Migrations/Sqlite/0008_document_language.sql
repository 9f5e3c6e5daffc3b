-- The language an account's documents are printed in (en, es, de, da), when the org maps one; else its billing
-- country's language, else the configured default, chosen when a document is posted and kept in its buyer.
ALTER TABLE billing_account ADD COLUMN language TEXT NULL;
