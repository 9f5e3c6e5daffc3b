namespace Connector.Invoicing.Storage;

/// <summary>The column lists several catalogs select from (invoices, and billable lines with their order and account), written once.</summary>
internal static class SqlColumns
{
    public const string CreditNote = """
        SELECT id                  AS Id,
               number              AS Number,
               account_id          AS AccountId,
               currency            AS Currency,
               issue_date          AS IssueDate,
               corrects_number     AS CorrectsNumber,
               corrects_issue_date AS CorrectsIssueDate,
               reason              AS Reason
        FROM   credit_note
        """;

    /// <summary>An invoice's header without its parties: what a book loads of every posted invoice (the parties are read with the invoice's parts).</summary>
    public const string InvoiceHeader = "SELECT " + InvoiceHeaderColumns + "\nFROM   invoice";

    public const string Invoice = "SELECT " + InvoiceHeaderColumns + """
        ,
               seller         AS Seller,
               buyer          AS Buyer
        FROM   invoice
        """;

    private const string InvoiceHeaderColumns = """
        id             AS Id,
               number         AS Number,
               account_id     AS AccountId,
               currency       AS Currency,
               issue_date     AS IssueDate,
               due_date       AS DueDate,
               batch          AS Batch,
               net_minor      AS NetMinor,
               tax_minor      AS TaxMinor,
               withheld_minor AS WithheldMinor,
               order_id       AS OrderId
        """;

    public const string BillableLine = """
        SELECT l.line_id            AS LineId,
               l.order_id           AS OrderId,
               l.product_name       AS ProductName,
               l.charge_type        AS ChargeType,
               l.frequency          AS Frequency,
               l.timing             AS Timing,
               l.quantity           AS Quantity,
               l.total_price        AS TotalPrice,
               l.start_date         AS StartDate,
               l.end_date           AS EndDate,
               l.term_months        AS TermMonths,
               l.prorate_multiplier AS ProrateMultiplier,
               l.tax_rate_percent   AS TaxRatePercent,
               l.tax_exempt_reason  AS TaxExemptReason,
               l.withholding_percent AS WithholdingPercent,
               l.revises_line_id    AS RevisesLineId,
               CAST(l.hold_billing AS INT) AS HoldBilling,
               l.next_billing_date  AS NextBillingDate,
               c.end_date           AS ContractEndDate,
               o.order_number       AS OrderNumber,
               o.currency           AS Currency,
               o.payment_term_days  AS PaymentTermDays,
               o.invoice_batch      AS InvoiceBatch,
               o.legal_entity       AS LegalEntity,
               o.payment_terms      AS PaymentTerms,
               a.account_id         AS AccountId,
               a.name               AS AccountName,
               a.street             AS Street,
               a.city               AS City,
               a.postal_code        AS PostalCode,
               a.country            AS Country,
               a.tax_id             AS TaxId,
               a.language           AS Language,
               a.endpoint_id        AS EndpointId,
               a.endpoint_scheme    AS EndpointScheme,
               a.buyer_reference    AS BuyerReference,
               a.billing_day_of_month AS BillingDayOfMonth
        FROM   order_line l
        JOIN   sales_order o     ON o.order_id = l.order_id
        JOIN   billing_account a ON a.account_id = o.account_id
        LEFT JOIN contract_term c ON c.contract_id = l.contract_id
        """;
}
