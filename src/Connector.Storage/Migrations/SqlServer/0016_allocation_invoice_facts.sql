-- The performance issue: a load finds the invoices settled by one payment from their allocations, which it read joined
-- to each invoice paid (due date, currency, payable, split in installments or not): an index probe per allocation, and
-- two once the invoice's row is read, for every allocation of a paying history on every run. Posted invoices never
-- change, so those four facts are kept on the allocation when it is written (looked up from the invoice by number then)
-- and filled in here for the allocations written before; an allocation whose invoice is missing keeps NULLs, and is
-- never taken for half of a settled pair.
ALTER TABLE allocation ADD invoice_due_date CHAR(10) NULL, invoice_currency CHAR(3) NULL, invoice_payable_minor BIGINT NULL, invoice_split INT NULL;
GO
UPDATE a
SET    a.invoice_due_date      = i.due_date,
       a.invoice_currency      = i.currency,
       a.invoice_payable_minor = i.net_minor + i.tax_minor - i.withheld_minor,
       a.invoice_split         = CASE WHEN EXISTS (SELECT 1 FROM invoice_installment s WHERE s.invoice_id = i.id AND s.number = 2) THEN 1 ELSE 0 END
FROM   allocation a
JOIN   invoice i ON i.number = a.invoice_number;
