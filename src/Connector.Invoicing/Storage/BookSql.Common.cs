namespace Connector.Invoicing.Storage;

internal sealed partial record BookSql
{
    private static partial class Common
    {
        public const string InsertInvoiceLine = """
            INSERT INTO invoice_line (invoice_id, line_number, order_id, order_line_id, description, period_start,
                                      period_end, quantity, unit_price, proration_factor, net_minor, tax_rate_percent,
                                      tax_exempt_reason, withholding_percent, revises, explanation, usage_detail)
            VALUES (@InvoiceId, @LineNumber, @OrderId, @OrderLineId, @Description, @PeriodStart,
                    @PeriodEnd, @Quantity, @UnitPrice, @ProrationFactor, @NetMinor, @TaxRatePercent,
                    @TaxExemptReason, @WithholdingPercent, @Revises, @Explanation, @UsageDetail)
            """;

        public const string InsertInvoiceTax = """
            INSERT INTO invoice_tax_group (invoice_id, group_number, tax_rate_percent, exempt_reason, base_minor, tax_minor)
            VALUES (@InvoiceId, @GroupNumber, @TaxRatePercent, @ExemptReason, @BaseMinor, @TaxMinor)
            """;

        public const string SelectInvoiceLines = """
            SELECT invoice_id       AS InvoiceId,
                   line_number      AS LineNumber,
                   order_id         AS OrderId,
                   order_line_id    AS OrderLineId,
                   description      AS Description,
                   period_start     AS PeriodStart,
                   period_end       AS PeriodEnd,
                   quantity         AS Quantity,
                   unit_price       AS UnitPrice,
                   proration_factor AS ProrationFactor,
                   net_minor        AS NetMinor,
                   tax_rate_percent AS TaxRatePercent,
                   tax_exempt_reason AS TaxExemptReason,
                   withholding_percent AS WithholdingPercent,
                   revises          AS Revises,
                   explanation      AS Explanation,
                   usage_detail     AS UsageDetail
            FROM   invoice_line
            WHERE  invoice_id IN @InvoiceIds
            ORDER BY invoice_id, line_number
            """;

        public const string SelectInvoiceTaxes = """
            SELECT invoice_id       AS InvoiceId,
                   group_number     AS GroupNumber,
                   tax_rate_percent AS TaxRatePercent,
                   exempt_reason    AS ExemptReason,
                   base_minor       AS BaseMinor,
                   tax_minor        AS TaxMinor
            FROM   invoice_tax_group
            WHERE  invoice_id IN @InvoiceIds
            ORDER BY invoice_id, group_number
            """;

        public const string SelectAccountIdsWithLines = """
            SELECT DISTINCT a.account_id
            FROM   order_line l
            JOIN   sales_order o     ON o.order_id = l.order_id
            JOIN   billing_account a ON a.account_id = o.account_id
            ORDER BY a.account_id
            """;

        public const string SelectAccountCurrencies = """
            SELECT account_id AS AccountId, MIN(currency) AS Currency FROM sales_order GROUP BY account_id ORDER BY account_id
            """;

        public const string SelectAccountNames = "SELECT account_id AS AccountId, name AS Name FROM billing_account";

        public const string CountOrdersOfInvoiceBatch = "SELECT COUNT(*) FROM sales_order WHERE invoice_batch = @InvoiceBatch";

        public const string SelectLinesOfOrders = """
            SELECT o.account_id AS AccountId,
                   l.line_id    AS LineId
            FROM   order_line l
            JOIN   sales_order o ON o.order_id = l.order_id
            WHERE  l.order_id IN @OrderIds
            """;

        public const string SelectBillableLinesOfAccounts = SqlColumns.BillableLine + """

            WHERE  a.account_id IN @AccountIds
            ORDER BY a.account_id, o.order_number, l.line_id
            """;

        public const string SelectInvoicesOfAccounts = SqlColumns.InvoiceHeader + "\nWHERE account_id IN @AccountIds\nORDER BY id";

        /// <summary>The invoices of accounts due on or after @From (before it: a closed prefix all paid, see <c>BookStore.Settle</c>).</summary>
        public const string SelectInvoicesOfAccountsFrom = SqlColumns.InvoiceHeader + "\nWHERE account_id IN @AccountIds\n  AND due_date >= @From\nORDER BY id";

        /// <summary>
        /// An invoice closed for a run before a day (the day its account's facts were last all told): payable positive,
        /// all of it due on one day before it (no plan of several installments). Unless something touches it (an
        /// allocation, a dispute, a credit note, a billing entry the run reads), such an invoice's figures change only by
        /// the days it ages: its whole payable is billed and overdue, in the aging bucket of its due date.
        /// </summary>
        private const string ClosedBefore = """
            due_date < @ClosedBefore
              AND  net_minor + tax_minor - withheld_minor > 0
              AND  NOT EXISTS (SELECT 1 FROM invoice_installment s WHERE s.invoice_id = invoice.id AND s.number = 2)
            """;

        /// <summary>The open invoices of accounts due on or after @From (an account's closed prefix holds none that is open before it).</summary>
        public const string SelectOpenInvoicesOfAccounts = SqlColumns.InvoiceHeader + "\nWHERE account_id IN @AccountIds\n  AND due_date >= @From\n  AND NOT (" + ClosedBefore + ")\nORDER BY id";

        /// <summary>
        /// The closed invoices' payable per account and currency due on or after @Through (before it: the accounts' closed
        /// prefix), per aging bucket on a day (@Days30, @Days60, @Days90: 30, 60 and 90 days before it).
        /// </summary>
        public const string SelectClosedInvoiceSums = """
            SELECT account_id AS AccountId,
                   currency   AS Currency,
                   SUM(CASE WHEN due_date >= @Days30 THEN net_minor + tax_minor - withheld_minor ELSE 0 END) AS Days1To30,
                   SUM(CASE WHEN due_date < @Days30 AND due_date >= @Days60 THEN net_minor + tax_minor - withheld_minor ELSE 0 END) AS Days31To60,
                   SUM(CASE WHEN due_date < @Days60 AND due_date >= @Days90 THEN net_minor + tax_minor - withheld_minor ELSE 0 END) AS Days61To90,
                   SUM(CASE WHEN due_date < @Days90 THEN net_minor + tax_minor - withheld_minor ELSE 0 END) AS Over90
            FROM   invoice
            WHERE  account_id IN @AccountIds
              AND  due_date >= @Through
              AND  
            """ + ClosedBefore + "\nGROUP BY account_id, currency";

        public const string SelectInvoicesByNumber = SqlColumns.InvoiceHeader + "\nWHERE number IN @Numbers\nORDER BY id";

        public const string SelectInvoiceParties = "SELECT id AS Id, seller AS Seller, buyer AS Buyer FROM invoice WHERE id IN @Ids";

        public const string SelectInvoiceWithholdings = """
            SELECT invoice_id     AS OwnerId,
                   rate_percent   AS RatePercent,
                   base_minor     AS BaseMinor,
                   withheld_minor AS WithheldMinor
            FROM   invoice_withholding
            WHERE  invoice_id IN @Ids
            """;

        /// <summary>
        /// The installments of the invoices split in several. A sole installment is all of the payable on the due date,
        /// which is what an invoice without installments means (<see cref="Invoices.Invoice.DueSchedule"/>), so a book's
        /// load leaves it unread: most invoices have one.
        /// </summary>
        public const string SelectSplitInstallments = """
            SELECT invoice_id   AS InvoiceId,
                   number       AS Number,
                   due_date     AS DueDate,
                   amount_minor AS AmountMinor
            FROM   invoice_installment s
            WHERE  s.invoice_id IN @Ids
              AND  EXISTS (SELECT 1 FROM invoice_installment o WHERE o.invoice_id = s.invoice_id AND o.number = 2)
            ORDER BY invoice_id, number
            """;

        public const string SelectInvoiceInstallments = """
            SELECT invoice_id   AS InvoiceId,
                   number       AS Number,
                   due_date     AS DueDate,
                   amount_minor AS AmountMinor
            FROM   invoice_installment
            WHERE  invoice_id IN @Ids
            ORDER BY invoice_id, number
            """;

        public const string SelectCreditNotesOfAccounts = SqlColumns.CreditNote + "\nWHERE account_id IN @AccountIds\nORDER BY id";

        public const string SelectCreditNoteLines = """
            SELECT credit_note_id      AS InvoiceId,
                   line_number         AS LineNumber,
                   order_id            AS OrderId,
                   order_line_id       AS OrderLineId,
                   description         AS Description,
                   period_start        AS PeriodStart,
                   period_end          AS PeriodEnd,
                   quantity            AS Quantity,
                   unit_price          AS UnitPrice,
                   proration_factor    AS ProrationFactor,
                   net_minor           AS NetMinor,
                   tax_rate_percent    AS TaxRatePercent,
                   tax_exempt_reason   AS TaxExemptReason,
                   withholding_percent AS WithholdingPercent,
                   revises             AS Revises,
                   corrected_line      AS CorrectedLine,
                   explanation         AS Explanation,
                   usage_detail        AS UsageDetail
            FROM   credit_note_line
            WHERE  credit_note_id IN @Ids
            ORDER BY credit_note_id, line_number
            """;

        public const string SelectCreditNoteTaxes = """
            SELECT credit_note_id   AS InvoiceId,
                   group_number     AS GroupNumber,
                   tax_rate_percent AS TaxRatePercent,
                   exempt_reason    AS ExemptReason,
                   base_minor       AS BaseMinor,
                   tax_minor        AS TaxMinor
            FROM   credit_note_tax_group
            WHERE  credit_note_id IN @Ids
            ORDER BY credit_note_id, group_number
            """;

        public const string SelectCreditNoteWithholdings = """
            SELECT credit_note_id AS OwnerId,
                   rate_percent   AS RatePercent,
                   base_minor     AS BaseMinor,
                   withheld_minor AS WithheldMinor
            FROM   credit_note_withholding
            WHERE  credit_note_id IN @Ids
            """;

        private const string PaymentColumns = """
            SELECT p.id           AS Id,
                   p.account_id   AS AccountId,
                   p.currency     AS Currency,
                   p.received_on  AS ReceivedOn,
                   p.amount_minor AS AmountMinor,
                   r.reversed_on  AS ReversedOn,
                   p.recorded_at  AS RecordedAt
            FROM   payment p
            LEFT JOIN payment_reversal r ON r.payment_id = p.id
            """;

        public const string SelectPaymentsOfAccounts = PaymentColumns + "\nWHERE  p.account_id IN @AccountIds\nORDER BY p.recorded_at, p.id";

        private const string AllocationFields = """
            SELECT a.id             AS Id,
                   a.source_kind    AS SourceKind,
                   a.source_id      AS SourceId,
                   a.account_id     AS AccountId,
                   a.invoice_number AS InvoiceNumber,
                   a.amount_minor   AS AmountMinor,
                   a.allocated_on   AS AllocatedOn
            """;

        public const string SelectAllocationsOfAccounts = AllocationFields + "\nFROM   allocation a\nWHERE  a.account_id IN @AccountIds\nORDER BY a.id";

        /// <summary>
        /// The accounts' allocations with what a run's load asks of the invoice each pays, to find the invoices settled by
        /// one payment (<c>BookStore.Settle</c>): its due date, currency and payable, and whether it is split in installments,
        /// as the allocation keeps them (<see cref="InsertAllocation"/>; NULL when the invoice was missing, and then the
        /// allocation is never half of a settled pair).
        /// </summary>
        public const string SelectAllocationsWithInvoicesOfAccounts = AllocationFields + """
            ,
                   a.invoice_due_date      AS InvoiceDueDate,
                   a.invoice_currency      AS InvoiceCurrency,
                   a.invoice_payable_minor AS InvoicePayableMinor,
                   a.invoice_split         AS InvoiceSplit
            FROM   allocation a
            WHERE  a.account_id IN @AccountIds
            ORDER BY a.id
            """;

        public const string SelectRefundsOfAccounts = """
            SELECT source_kind  AS SourceKind,
                   source_id    AS SourceId,
                   account_id   AS AccountId,
                   currency     AS Currency,
                   amount_minor AS AmountMinor,
                   refunded_on  AS RefundedOn
            FROM   refund
            WHERE  account_id IN @AccountIds
            ORDER BY id
            """;

        public const string SelectDisputesOfAccounts = """
            SELECT d.id                 AS Id,
                   d.invoice_number     AS InvoiceNumber,
                   d.line_number        AS LineNumber,
                   d.amount_minor       AS AmountMinor,
                   d.opened_on          AS OpenedOn,
                   d.reason             AS Reason,
                   r.outcome            AS Outcome,
                   r.resolved_on        AS ResolvedOn,
                   r.credit_note_number AS CreditNoteNumber
            FROM   dispute d
            LEFT JOIN dispute_resolution r ON r.dispute_id = d.id
            WHERE  d.account_id IN @AccountIds
            ORDER BY d.opened_on, d.id
            """;

        public const string SelectNumberSeries = "SELECT series AS Series, next_value AS NextValue, last_issue_date AS LastIssueDate FROM number_series";

        public const string AdvanceNumberSeries = """
            UPDATE number_series SET next_value = @NextValue, last_issue_date = @LastIssueDate WHERE series = @Series AND next_value = @ExpectedValue
            """;

        public const string InsertNumberSeries = "INSERT INTO number_series (series, next_value, last_issue_date) VALUES (@Series, @NextValue, @LastIssueDate)";

        public const string SelectInvoiceIdByNumber = "SELECT id FROM invoice WHERE number = @Number";

        public const string InsertInvoiceWithholding = """
            INSERT INTO invoice_withholding (invoice_id, rate_percent, base_minor, withheld_minor)
            VALUES (@OwnerId, @RatePercent, @BaseMinor, @WithheldMinor)
            """;

        public const string InsertInvoiceInstallment = """
            INSERT INTO invoice_installment (invoice_id, number, due_date, amount_minor)
            VALUES (@InvoiceId, @Number, @DueDate, @AmountMinor)
            """;

        public const string InsertCreditNoteLine = """
            INSERT INTO credit_note_line (credit_note_id, line_number, order_id, order_line_id, description, period_start, period_end,
                                          quantity, unit_price, proration_factor, net_minor, tax_rate_percent, tax_exempt_reason,
                                          withholding_percent, revises, corrected_line, explanation, usage_detail)
            VALUES (@InvoiceId, @LineNumber, @OrderId, @OrderLineId, @Description, @PeriodStart, @PeriodEnd,
                    @Quantity, @UnitPrice, @ProrationFactor, @NetMinor, @TaxRatePercent, @TaxExemptReason,
                    @WithholdingPercent, @Revises, @CorrectedLine, @Explanation, @UsageDetail)
            """;

        public const string InsertCreditNoteTax = """
            INSERT INTO credit_note_tax_group (credit_note_id, group_number, tax_rate_percent, exempt_reason, base_minor, tax_minor)
            VALUES (@InvoiceId, @GroupNumber, @TaxRatePercent, @ExemptReason, @BaseMinor, @TaxMinor)
            """;

        public const string InsertCreditNoteWithholding = """
            INSERT INTO credit_note_withholding (credit_note_id, rate_percent, base_minor, withheld_minor)
            VALUES (@OwnerId, @RatePercent, @BaseMinor, @WithheldMinor)
            """;

        public const string InsertPayment = """
            INSERT INTO payment (id, account_id, currency, received_on, amount_minor, recorded_at)
            VALUES (@Id, @AccountId, @Currency, @ReceivedOn, @AmountMinor, @RecordedAt)
            """;

        public const string InsertPaymentReversal = """
            INSERT INTO payment_reversal (payment_id, reversed_on, recorded_at) VALUES (@PaymentId, @ReversedOn, @RecordedAt)
            """;

        /// <summary>
        /// An allocation, with the facts of the invoice it pays that a load asks (posted invoices never change): looked up
        /// by number, so the invoice is posted first (in the same transaction, or before).
        /// </summary>
        public const string InsertAllocation = """
            INSERT INTO allocation (source_kind, source_id, account_id, invoice_number, amount_minor, allocated_on,
                                    invoice_due_date, invoice_currency, invoice_payable_minor, invoice_split)
            VALUES (@SourceKind, @SourceId, @AccountId, @InvoiceNumber, @AmountMinor, @AllocatedOn,
                    (SELECT i.due_date FROM invoice i WHERE i.number = @InvoiceNumber),
                    (SELECT i.currency FROM invoice i WHERE i.number = @InvoiceNumber),
                    (SELECT i.net_minor + i.tax_minor - i.withheld_minor FROM invoice i WHERE i.number = @InvoiceNumber),
                    (SELECT CASE WHEN EXISTS (SELECT 1 FROM invoice_installment s WHERE s.invoice_id = i.id AND s.number = 2) THEN 1 ELSE 0 END
                     FROM invoice i WHERE i.number = @InvoiceNumber))
            """;

        public const string InsertRefund = """
            INSERT INTO refund (source_kind, source_id, account_id, currency, amount_minor, refunded_on)
            VALUES (@SourceKind, @SourceId, @AccountId, @Currency, @AmountMinor, @RefundedOn)
            """;

        public const string InsertDispute = """
            INSERT INTO dispute (id, account_id, invoice_number, line_number, amount_minor, opened_on, reason)
            VALUES (@Id, @AccountId, @InvoiceNumber, @LineNumber, @AmountMinor, @OpenedOn, @Reason)
            """;

        public const string InsertDisputeResolution = """
            INSERT INTO dispute_resolution (dispute_id, outcome, resolved_on, credit_note_number)
            VALUES (@DisputeId, @Outcome, @ResolvedOn, @CreditNoteNumber)
            """;
    }
}
