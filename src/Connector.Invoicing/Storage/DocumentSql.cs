using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>Posted invoices read one by one or listed, and their rendered documents. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record DocumentSql
{
    public required string InsertDocument { get; init; }

    public required string InsertCreditNoteDocument { get; init; }

    public required string InsertEInvoiceDocument { get; init; }

    public string SelectEInvoiceDocumentById { get; init; } = Common.SelectEInvoiceDocumentById;

    public string SelectEInvoiceDocuments { get; init; } = Common.SelectEInvoiceDocuments;

    public string SelectInvoicesWithoutEInvoice { get; init; } = Common.SelectInvoicesWithoutEInvoice;

    public string SelectCreditNotesWithoutEInvoice { get; init; } = Common.SelectCreditNotesWithoutEInvoice;

    public string SelectIssuedBetween { get; init; } = Common.SelectIssuedBetween;

    public string SelectCreditNoteDocumentById { get; init; } = Common.SelectCreditNoteDocumentById;

    public string SelectCreditNoteDocuments { get; init; } = Common.SelectCreditNoteDocuments;

    public string SelectCreditNotesWithoutDocument { get; init; } = Common.SelectCreditNotesWithoutDocument;

    public string SelectCreditNoteById { get; init; } = Common.SelectCreditNoteById;

    public string SelectAccountById { get; init; } = Common.SelectAccountById;

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
        InsertCreditNoteDocument = """
            INSERT INTO credit_note_document (credit_note_id, file_name, content_type, content, content_hash, created_at)
            VALUES (@OwnerId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt)
            ON CONFLICT (credit_note_id) DO NOTHING
            RETURNING id
            """,
        InsertEInvoiceDocument = """
            INSERT INTO e_invoice_document (owner, owner_id, format, file_name, content_type, content, content_hash, created_at)
            VALUES (@Owner, @OwnerId, @Format, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt)
            ON CONFLICT (owner, owner_id, format) DO NOTHING
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
        InsertCreditNoteDocument = """
            INSERT INTO credit_note_document (credit_note_id, file_name, content_type, content, content_hash, created_at)
            OUTPUT inserted.id
            SELECT @OwnerId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt
            WHERE  NOT EXISTS (SELECT 1 FROM credit_note_document WITH (UPDLOCK, HOLDLOCK) WHERE credit_note_id = @OwnerId);
            """,
        InsertEInvoiceDocument = """
            INSERT INTO e_invoice_document (owner, owner_id, format, file_name, content_type, content, content_hash, created_at)
            OUTPUT inserted.id
            SELECT @Owner, @OwnerId, @Format, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt
            WHERE  NOT EXISTS (SELECT 1 FROM e_invoice_document WITH (UPDLOCK, HOLDLOCK) WHERE owner = @Owner AND owner_id = @OwnerId AND format = @Format);
            """,
    };

    public static DocumentSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static DocumentSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

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

        public const string CreditNoteDocumentColumns = """
            SELECT id             AS Id,
                   credit_note_id AS InvoiceId,
                   file_name      AS FileName,
                   content_type   AS ContentType,
                   content        AS Content,
                   content_hash   AS ContentHash
            FROM   credit_note_document
            """;

        public const string SelectCreditNoteDocumentById = CreditNoteDocumentColumns + "\nWHERE id = @Id";

        public const string SelectCreditNoteDocuments = CreditNoteDocumentColumns + "\nORDER BY id";

        public const string SelectCreditNotesWithoutDocument = """
            SELECT n.id
            FROM   credit_note n
            LEFT JOIN credit_note_document d ON d.credit_note_id = n.id
            WHERE  d.id IS NULL
            ORDER BY n.id
            """;

        public const string EInvoiceDocumentColumns = """
            SELECT id           AS Id,
                   owner_id     AS InvoiceId,
                   owner        AS Owner,
                   file_name    AS FileName,
                   content_type AS ContentType,
                   content      AS Content,
                   content_hash AS ContentHash
            FROM   e_invoice_document
            """;

        public const string SelectEInvoiceDocumentById = EInvoiceDocumentColumns + "\nWHERE id = @Id";

        public const string SelectEInvoiceDocuments = EInvoiceDocumentColumns + "\nORDER BY id";

        public const string SelectInvoicesWithoutEInvoice = """
            SELECT i.id
            FROM   invoice i
            LEFT JOIN e_invoice_document d ON d.owner = 'Invoice' AND d.owner_id = i.id AND d.format = @Format
            WHERE  d.id IS NULL
            ORDER BY i.id
            """;

        public const string SelectCreditNotesWithoutEInvoice = """
            SELECT n.id
            FROM   credit_note n
            LEFT JOIN e_invoice_document d ON d.owner = 'CreditNote' AND d.owner_id = n.id AND d.format = @Format
            WHERE  d.id IS NULL
            ORDER BY n.id
            """;

        /// <summary>Every stored file of one format whose document was issued between two days, without its content (read one at a time).</summary>
        public const string SelectIssuedBetween = """
            SELECT x.Id, x.Owner, x.FileName, x.IssueDate
            FROM (
                SELECT d.id AS Id, 'Invoice' AS Owner, 'pdf' AS Format, d.file_name AS FileName, i.issue_date AS IssueDate
                FROM   document d JOIN invoice i ON i.id = d.invoice_id
                UNION ALL
                SELECT d.id, 'CreditNote', 'pdf', d.file_name, n.issue_date
                FROM   credit_note_document d JOIN credit_note n ON n.id = d.credit_note_id
                UNION ALL
                SELECT e.id, e.owner, e.format, e.file_name, COALESCE(i.issue_date, n.issue_date)
                FROM   e_invoice_document e
                LEFT JOIN invoice i     ON e.owner = 'Invoice' AND i.id = e.owner_id
                LEFT JOIN credit_note n ON e.owner = 'CreditNote' AND n.id = e.owner_id
            ) x
            WHERE  x.Format = @Format AND x.IssueDate >= @From AND x.IssueDate <= @To
            ORDER BY x.IssueDate, x.FileName
            """;

        public const string SelectCreditNoteById = SqlColumns.CreditNote + "\nWHERE id = @Id";

        public const string SelectAccountById = """
            SELECT account_id AS AccountId, name AS Name, street AS Street, city AS City, postal_code AS PostalCode,
                   country AS Country, tax_id AS TaxId, language AS Language,
                   endpoint_id AS EndpointId, endpoint_scheme AS EndpointScheme, buyer_reference AS BuyerReference
            FROM   billing_account
            WHERE  account_id = @AccountId
            """;

        public const string SelectInvoices = SqlColumns.Invoice + "\nORDER BY id";

        public const string SelectInvoiceById = SqlColumns.Invoice + "\nWHERE id = @Id";

        public const string SelectBillableLines = SqlColumns.BillableLine + "\nORDER BY a.account_id, o.order_number, l.line_id";

        public const string SelectInvoiceStats = """
            SELECT COUNT(*)        AS Count,
                   MAX(number)     AS LastNumber,
                   MAX(issue_date) AS LastIssueDate
            FROM   invoice
            """;
    }
}
