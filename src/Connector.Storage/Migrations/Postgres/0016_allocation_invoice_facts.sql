-- The performance issue: a load finds the invoices settled by one payment from their allocations, which it read joined
-- to each invoice paid (due date, currency, payable, split in installments or not): an index probe per allocation, and
-- two once the invoice's row is read, for every allocation of a paying history on every run. Posted invoices never
-- change, so those four facts are kept on the allocation when it is written (looked up from the invoice by number then)
-- and filled in here for the allocations written before; an allocation whose invoice is missing keeps NULLs, and is
-- never taken for half of a settled pair.
ALTER TABLE allocation ADD COLUMN invoice_due_date TEXT COLLATE "C" NULL;
ALTER TABLE allocation ADD COLUMN invoice_currency TEXT COLLATE "C" NULL;
ALTER TABLE allocation ADD COLUMN invoice_payable_minor BIGINT NULL;
ALTER TABLE allocation ADD COLUMN invoice_split INT NULL;
UPDATE allocation
SET    invoice_due_date      = i.due_date,
       invoice_currency      = i.currency,
       invoice_payable_minor = i.net_minor + i.tax_minor - i.withheld_minor,
       invoice_split         = CASE WHEN EXISTS (SELECT 1 FROM invoice_installment s WHERE s.invoice_id = i.id AND s.number = 2) THEN 1 ELSE 0 END
FROM   invoice i
WHERE  i.number = allocation.invoice_number;
