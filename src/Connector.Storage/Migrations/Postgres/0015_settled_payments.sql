-- The performance issue: a paid invoice must not load on every run. A run's load leaves in the store each invoice settled
-- by one payment of exactly its payable (BookSql's SettledPair), which it finds by these lookups from the invoice and the
-- payment: their other allocations, a refund of the payment, a dispute of the invoice or a credit note correcting it.
CREATE INDEX ix_allocation_invoice ON allocation (invoice_number);
CREATE INDEX ix_allocation_source ON allocation (source_kind, source_id);
CREATE INDEX ix_refund_source ON refund (source_kind, source_id);
CREATE INDEX ix_dispute_invoice ON dispute (invoice_number);
CREATE INDEX ix_credit_note_corrects ON credit_note (corrects_number);
