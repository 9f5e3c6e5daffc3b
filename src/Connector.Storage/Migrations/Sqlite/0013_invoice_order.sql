-- The performance issue: an invoice's write-back facts name the order it billed when it billed only one, and a run
-- recomputes the facts of old invoices that turn overdue. order_id keeps that order on the header, so those facts need
-- no read of the invoice's lines. NULL: read them (the invoice bills several orders, or was posted before this column;
-- posted rows never change, so those are not filled in).
ALTER TABLE invoice ADD COLUMN order_id TEXT NULL;
