namespace Connector.Invoicing.Storage;

internal sealed partial record SqlStatements
{
    private static class Common
    {
        public const string SelectSchemaVersions = "SELECT version FROM schema_version ORDER BY version";

        public const string InsertSchemaVersion = """
            INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)
            """;

        public const string SelectExistingVersions = """
            SELECT record_id       AS RecordId,
                   system_modstamp AS SystemModstamp
            FROM   source_record
            WHERE  object_name = @ObjectName
              AND  record_id IN @RecordIds
            """;

        public const string SelectRecordVersions = """
            SELECT system_modstamp AS SystemModstamp,
                   payload         AS Payload
            FROM   source_record
            WHERE  object_name = @ObjectName
              AND  record_id = @RecordId
            """;

        /// <summary>Every stored version of a record, whatever its object (Salesforce ids are unique across objects).</summary>
        public const string SelectSourceRecordById = """
            SELECT object_name     AS ObjectName,
                   system_modstamp AS SystemModstamp,
                   payload         AS Payload
            FROM   source_record
            WHERE  record_id = @RecordId
            """;

        public const string HoldLine = """
            UPDATE order_line SET hold_billing = 1, updated_at = @UpdatedAt WHERE line_id = @RecordId
            """;

        public const string HoldOrderLines = """
            UPDATE order_line SET hold_billing = 1, updated_at = @UpdatedAt WHERE order_id = @RecordId
            """;

        public const string ReverseIncomingPayment = """
            UPDATE incoming_payment SET reversed = 1, updated_at = @UpdatedAt WHERE payment_id = @RecordId
            """;

        public const string SelectWatermark = """
            SELECT high_water_mark FROM sync_watermark WHERE object_name = @ObjectName
            """;

        public const string ResolveQuarantine = """
            UPDATE quarantine SET status = 'Resolved'
            WHERE  object_name = @ObjectName AND record_id = @RecordId AND status = 'Open'
            """;

        private const string QuarantineColumns = """
            SELECT id          AS Id,
                   object_name AS ObjectName,
                   record_id   AS RecordId,
                   reason      AS Reason,
                   payload     AS Payload,
                   created_at  AS CreatedAt
            FROM   quarantine
            """;

        public const string SelectOpenQuarantine = QuarantineColumns + "\nWHERE  status = 'Open'\nORDER BY id";

        public const string SelectBillableLines = Book.BillableLineColumns + "\nORDER BY a.account_id, o.order_number, l.line_id";

        public const string InsertInvoiceLine = """
            INSERT INTO invoice_line (invoice_id, line_number, order_id, order_line_id, description, period_start,
                                      period_end, quantity, unit_price, proration_factor, net_minor, tax_rate_percent,
                                      tax_exempt_reason, withholding_percent, revises, explanation)
            VALUES (@InvoiceId, @LineNumber, @OrderId, @OrderLineId, @Description, @PeriodStart,
                    @PeriodEnd, @Quantity, @UnitPrice, @ProrationFactor, @NetMinor, @TaxRatePercent,
                    @TaxExemptReason, @WithholdingPercent, @Revises, @Explanation)
            """;

        public const string InsertInvoiceTax = """
            INSERT INTO invoice_tax_group (invoice_id, group_number, tax_rate_percent, exempt_reason, base_minor, tax_minor)
            VALUES (@InvoiceId, @GroupNumber, @TaxRatePercent, @ExemptReason, @BaseMinor, @TaxMinor)
            """;

        public const string InsertOutbox = """
            INSERT INTO outbox (topic, entity_key, payload, status, attempts, last_error, next_attempt_at, created_at, completed_at)
            VALUES (@Topic, @EntityKey, @Payload, 'Pending', 0, NULL, @CreatedAt, @CreatedAt, NULL)
            """;

        private const string InvoiceColumns = """
            SELECT id          AS Id,
                   number      AS Number,
                   account_id  AS AccountId,
                   currency    AS Currency,
                   issue_date  AS IssueDate,
                   due_date    AS DueDate,
                   seller      AS Seller,
                   buyer       AS Buyer,
                   batch       AS Batch
            FROM   invoice
            """;

        public const string SelectInvoices = InvoiceColumns + "\nORDER BY id";

        public const string SelectInvoiceById = InvoiceColumns + "\nWHERE id = @Id";

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
                   explanation      AS Explanation
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

        public const string SelectInvoicesWithoutDocument = """
            SELECT i.id
            FROM   invoice i
            LEFT JOIN document d ON d.invoice_id = i.id
            WHERE  d.id IS NULL
            ORDER BY i.id
            """;

        private const string DocumentColumns = """
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

        public const string ReplaceDocument = """
            UPDATE document
            SET    file_name = @FileName, content_type = @ContentType, content = @Content, content_hash = @ContentHash, created_at = @CreatedAt
            WHERE  id = @Id AND content_hash = @PreviousHash
            """;

        public const string SelectDocuments = DocumentColumns + "\nORDER BY id";

        public const string RetryOutboxLater = """
            UPDATE outbox
            SET    status = @Status, last_error = @LastError, next_attempt_at = @NextAttemptAt, failures = failures + 1
            WHERE  id = @Id
            """;

        /// <summary>Rows waiting for a retry after a transient failure: how many, since when, and one of their errors.</summary>
        public const string SelectOutboxRetries = """
            SELECT COUNT(*)             AS Count,
                   MIN(created_at)      AS Oldest,
                   MIN(next_attempt_at) AS NextAttemptAt,
                   MAX(last_error)      AS LastError
            FROM   outbox
            WHERE  status = 'Pending' AND last_error IS NOT NULL
            """;

        public const string StartOutboxAttempt = """
            UPDATE outbox SET attempts = attempts + 1 WHERE id IN @Ids
            """;

        public const string InsertCycleRun = """
            INSERT INTO cycle_run (kind, started_at, finished_at, outcome, summary, error)
            VALUES (@Kind, @StartedAt, @FinishedAt, @Outcome, @Summary, @Error)
            """;

        public const string DeleteCycleRunsBefore = """
            DELETE FROM cycle_run WHERE finished_at < @Cutoff
            """;

        public const string SelectLastCycleRuns = """
            SELECT kind        AS Kind,
                   started_at  AS StartedAt,
                   finished_at AS FinishedAt,
                   outcome     AS Outcome,
                   summary     AS Summary,
                   error       AS Error
            FROM   cycle_run
            WHERE  id IN (SELECT MAX(id) FROM cycle_run GROUP BY kind)
            ORDER BY kind
            """;

        public const string SelectInvoiceStats = """
            SELECT COUNT(*)        AS Count,
                   MAX(number)     AS LastNumber,
                   MAX(issue_date) AS LastIssueDate
            FROM   invoice
            """;

        public const string SelectQuarantineByIds = QuarantineColumns + "\nWHERE  status = 'Open' AND id IN @Ids\nORDER BY id";

        public const string DiscardQuarantine = """
            UPDATE quarantine SET status = 'Discarded' WHERE status = 'Open' AND id IN @Ids
            """;

        public const string SelectLease = """
            SELECT holder      AS Holder,
                   expires_at  AS ExpiresAt,
                   acquired_at AS AcquiredAt
            FROM   lease
            WHERE  name = @Name
            """;

        public const string ReleaseLease = """
            UPDATE lease SET expires_at = @Now WHERE name = @Name AND holder = @Holder
            """;

        public const string CompleteOutboxMany = """
            UPDATE outbox
            SET    status = 'Done', completed_at = @CompletedAt, last_error = NULL
            WHERE  id IN @Ids
            """;

        public const string SelectRemoteIds = """
            SELECT entity_key AS EntityKey,
                   remote_id  AS RemoteId
            FROM   remote_record
            WHERE  object_name = @ObjectName AND entity_key IN @EntityKeys
            """;

        public const string CountOutboxByStatus = """
            SELECT status AS Status, COUNT(*) AS Count FROM outbox GROUP BY status
            """;
    }
}
