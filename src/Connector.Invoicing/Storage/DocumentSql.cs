using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>Posted invoices read one by one or listed, and their rendered documents. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record DocumentSql
{
    public required string InsertDocument { get; init; }

    public string ReplaceDocument { get; init; } = Common.ReplaceDocument;

    public string SelectDocumentById { get; init; } = Common.SelectDocumentById;

    public string SelectDocumentByInvoiceId { get; init; } = Common.SelectDocumentByInvoiceId;

    public string SelectDocuments { get; init; } = Common.SelectDocuments;

    public string SelectInvoicesWithoutDocument { get; init; } = Common.SelectInvoicesWithoutDocument;

    public string SelectInvoices { get; init; } = Common.SelectInvoices;

    public string SelectInvoiceById { get; init; } = Common.SelectInvoiceById;

    public string SelectBillableLines { get; init; } = Common.SelectBillableLines;

    public string SelectInvoiceStats { get; init; } = Common.SelectInvoiceStats;

    public static DocumentSql Sqlite { get; } = new()
    {
        InsertDocument = """
            INSERT INTO document (invoice_id, file_name, content_type, content, content_hash, created_at)
            VALUES (@InvoiceId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt)
            ON CONFLICT (invoice_id) DO NOTHING
            RETURNING id
            """,
    };

    public static DocumentSql SqlServer { get; } = new()
    {
        InsertDocument = """
            INSERT INTO document (invoice_id, file_name, content_type, content, content_hash, created_at)
            OUTPUT inserted.id
            SELECT @InvoiceId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt
            WHERE  NOT EXISTS (SELECT 1 FROM document WITH (UPDLOCK, HOLDLOCK) WHERE invoice_id = @InvoiceId);
            """,
    };

    public static DocumentSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static DocumentSql For(StorageProvider provider) => provider switch
    {
        StorageProvider.SqlServer => SqlServer,
        StorageProvider.Postgres => Postgres,
        _ => Sqlite,
    };

    private static class Common
    {
        public const string ReplaceDocument = """
            UPDATE document
            SET    file_name = @FileName, content_type = @ContentType, content = @Content, content_hash = @ContentHash, created_at = @CreatedAt
            WHERE  id = @Id AND content_hash = @PreviousHash
            """;

        public const string DocumentColumns = """
            SELECT id           AS Id,
                   invoice_id   AS InvoiceId,
                   file_name    AS FileName,
                   content_type AS ContentType,
                   content      AS Content,
                   content_hash AS ContentHash
            FROM   document
            """;

        public const string SelectDocumentById = DocumentColumns + "\nWHERE id = @Id";

        public const string SelectDocumentByInvoiceId = DocumentColumns + "\nWHERE invoice_id = @InvoiceId";

        public const string SelectDocuments = DocumentColumns + "\nORDER BY id";

        public const string SelectInvoicesWithoutDocument = """
            SELECT i.id
            FROM   invoice i
            LEFT JOIN document d ON d.invoice_id = i.id
            WHERE  d.id IS NULL
            ORDER BY i.id
            """;

        public const string InvoiceColumns = """
            SELECT id             AS Id,
                   number         AS Number,
                   account_id     AS AccountId,
                   currency       AS Currency,
                   issue_date     AS IssueDate,
                   due_date       AS DueDate,
                   seller         AS Seller,
                   buyer          AS Buyer,
                   batch          AS Batch
            FROM   invoice
            """;

        public const string SelectInvoices = InvoiceColumns + "\nORDER BY id";

        public const string SelectInvoiceById = InvoiceColumns + "\nWHERE id = @Id";

        public const string BillableLineColumns = """
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
                   o.payment_terms      AS PaymentTerms,
                   a.account_id         AS AccountId,
                   a.name               AS AccountName,
                   a.street             AS Street,
                   a.city               AS City,
                   a.postal_code        AS PostalCode,
                   a.country            AS Country,
                   a.tax_id             AS TaxId,
                   a.billing_day_of_month AS BillingDayOfMonth
            FROM   order_line l
            JOIN   sales_order o     ON o.order_id = l.order_id
            JOIN   billing_account a ON a.account_id = o.account_id
            LEFT JOIN contract_term c ON c.contract_id = l.contract_id
            """;

        public const string SelectBillableLines = Common.BillableLineColumns + "\nORDER BY a.account_id, o.order_number, l.line_id";

        public const string SelectInvoiceStats = """
            SELECT COUNT(*)        AS Count,
                   MAX(number)     AS LastNumber,
                   MAX(issue_date) AS LastIssueDate
            FROM   invoice
            """;
    }
}
