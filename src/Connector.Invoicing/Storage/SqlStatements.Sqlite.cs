namespace Connector.Invoicing.Storage;

internal sealed partial record SqlStatements
{
    public static SqlStatements Sqlite { get; } = new()
    {
        CreateSchemaVersionTable = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """,
        // SQLite: one writer at a time already; each migration runs in a BEGIN IMMEDIATE transaction.
        AcquireMigrationLock = "SELECT 1",
        ReleaseMigrationLock = "SELECT 1",
        InsertSourceRecordIfNew = """
            INSERT INTO source_record (object_name, record_id, system_modstamp, payload, ingested_at)
            VALUES (@ObjectName, @RecordId, @SystemModstamp, @Payload, @IngestedAt)
            ON CONFLICT (object_name, record_id, system_modstamp) DO NOTHING
            """,
        UpsertWatermark = """
            INSERT INTO sync_watermark (object_name, high_water_mark, updated_at)
            VALUES (@ObjectName, @HighWaterMark, @UpdatedAt)
            ON CONFLICT (object_name) DO UPDATE SET high_water_mark = excluded.high_water_mark, updated_at = excluded.updated_at
            """,
        UpsertAccount = """
            INSERT INTO billing_account (account_id, name, street, city, postal_code, country, tax_id, billing_day_of_month, updated_at)
            VALUES (@AccountId, @Name, @Street, @City, @PostalCode, @Country, @TaxId, @BillingDayOfMonth, @UpdatedAt)
            ON CONFLICT (account_id) DO UPDATE SET
                name = excluded.name, street = excluded.street, city = excluded.city, postal_code = excluded.postal_code,
                country = excluded.country, tax_id = excluded.tax_id, billing_day_of_month = excluded.billing_day_of_month,
                updated_at = excluded.updated_at
            """,
        UpsertOrder = """
            INSERT INTO sales_order (order_id, order_number, account_id, currency, payment_term_days, invoice_batch, payment_terms, updated_at)
            VALUES (@OrderId, @OrderNumber, @AccountId, @Currency, @PaymentTermDays, @InvoiceBatch, @PaymentTerms, @UpdatedAt)
            ON CONFLICT (order_id) DO UPDATE SET
                order_number = excluded.order_number, account_id = excluded.account_id, currency = excluded.currency,
                payment_term_days = excluded.payment_term_days, invoice_batch = excluded.invoice_batch,
                payment_terms = excluded.payment_terms, updated_at = excluded.updated_at
            """,
        UpsertOrderLine = """
            INSERT INTO order_line (line_id, order_id, product_name, charge_type, frequency, timing, quantity, total_price,
                                    start_date, end_date, term_months, prorate_multiplier, tax_rate_percent, tax_exempt_reason, withholding_percent,
                                    revises_line_id, hold_billing, next_billing_date, contract_id, updated_at)
            VALUES (@LineId, @OrderId, @ProductName, @ChargeType, @Frequency, @Timing, @Quantity, @TotalPrice,
                    @StartDate, @EndDate, @TermMonths, @ProrateMultiplier, @TaxRatePercent, @TaxExemptReason, @WithholdingPercent,
                    @RevisesLineId, @HoldBilling, @NextBillingDate, @ContractId, @UpdatedAt)
            ON CONFLICT (line_id) DO UPDATE SET
                order_id = excluded.order_id, product_name = excluded.product_name, charge_type = excluded.charge_type,
                frequency = excluded.frequency, timing = excluded.timing, quantity = excluded.quantity,
                total_price = excluded.total_price, start_date = excluded.start_date, end_date = excluded.end_date,
                term_months = excluded.term_months, prorate_multiplier = excluded.prorate_multiplier,
                tax_rate_percent = excluded.tax_rate_percent, tax_exempt_reason = excluded.tax_exempt_reason,
                withholding_percent = excluded.withholding_percent, revises_line_id = excluded.revises_line_id,
                hold_billing = excluded.hold_billing, next_billing_date = excluded.next_billing_date, contract_id = excluded.contract_id,
                updated_at = excluded.updated_at
            """,
        InsertQuarantineIfNew = """
            INSERT INTO quarantine (object_name, record_id, reason, payload, status, created_at)
            VALUES (@ObjectName, @RecordId, @Reason, @Payload, 'Open', @CreatedAt)
            ON CONFLICT (object_name, record_id, reason) DO UPDATE SET status = 'Open', payload = excluded.payload
            """,
        InsertInvoice = """
            INSERT INTO invoice (number, status, account_id, currency, issue_date, due_date, seller, buyer,
                                 net_minor, tax_minor, total_minor, posted_at, batch, withheld_minor)
            VALUES (@Number, 'Posted', @AccountId, @Currency, @IssueDate, @DueDate, @Seller, @Buyer,
                    @NetMinor, @TaxMinor, @TotalMinor, @PostedAt, @Batch, @WithheldMinor)
            RETURNING id
            """,
        UpsertContractTerm = """
            INSERT INTO contract_term (contract_id, end_date, updated_at) VALUES (@ContractId, @EndDate, @UpdatedAt)
            ON CONFLICT (contract_id) DO UPDATE SET end_date = excluded.end_date, updated_at = excluded.updated_at
            """,
        UpsertIncomingPayment = """
            INSERT INTO incoming_payment (payment_id, object_name, account_id, amount, received_on, invoice_number, reversed, updated_at)
            VALUES (@PaymentId, @ObjectName, @AccountId, @Amount, @ReceivedOn, @InvoiceNumber, @Reversed, @UpdatedAt)
            ON CONFLICT (payment_id) DO UPDATE SET reversed = MAX(incoming_payment.reversed, excluded.reversed), updated_at = excluded.updated_at
            """,
        UpsertFactState = """
            INSERT INTO fact_state (topic, entity_key, account_id, payload_hash, updated_at)
            VALUES (@Topic, @EntityKey, @AccountId, @PayloadHash, @UpdatedAt)
            ON CONFLICT (topic, entity_key) DO UPDATE SET payload_hash = excluded.payload_hash, updated_at = excluded.updated_at
            """,
        InsertCreditNote = """
            INSERT INTO credit_note (number, account_id, currency, issue_date, corrects_invoice_id, corrects_number,
                                     corrects_issue_date, reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at)
            VALUES (@Number, @AccountId, @Currency, @IssueDate, @CorrectsInvoiceId, @CorrectsNumber,
                    @CorrectsIssueDate, @Reason, @NetMinor, @TaxMinor, @WithheldMinor, @TotalMinor, @PostedAt)
            RETURNING id
            """,
        InsertDocument = """
            INSERT INTO document (invoice_id, file_name, content_type, content, content_hash, created_at)
            VALUES (@InvoiceId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt)
            ON CONFLICT (invoice_id) DO NOTHING
            RETURNING id
            """,
        SelectPendingOutbox = """
            SELECT id         AS Id,
                   topic      AS Topic,
                   entity_key AS EntityKey,
                   payload    AS Payload,
                   attempts   AS Attempts,
                   failures   AS Failures
            FROM   outbox
            WHERE  status = 'Pending' AND next_attempt_at <= @Now
            ORDER BY id
            LIMIT  @Limit
            """,
        UpsertRemoteRecord = """
            INSERT INTO remote_record (object_name, entity_key, remote_id, updated_at)
            VALUES (@ObjectName, @EntityKey, @RemoteId, @UpdatedAt)
            ON CONFLICT (object_name, entity_key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at
            """,
        TakeLease = """
            INSERT INTO lease (name, holder, expires_at, acquired_at)
            VALUES (@Name, @Holder, @ExpiresAt, @Now)
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder,
                expires_at = excluded.expires_at,
                acquired_at = CASE WHEN lease.holder = excluded.holder AND lease.expires_at >= @Now THEN lease.acquired_at ELSE excluded.acquired_at END
            WHERE lease.holder = excluded.holder OR lease.expires_at <= @Now
            """,
    };
}
