namespace Connector.Invoicing.Storage;

internal sealed partial record SqlStatements
{
    public static SqlStatements SqlServer { get; } = new()
    {
        CreateSchemaVersionTable = """
            IF OBJECT_ID(N'dbo.schema_version', N'U') IS NULL
                CREATE TABLE dbo.schema_version (
                    version    INT           NOT NULL PRIMARY KEY,
                    name       NVARCHAR(200) NOT NULL,
                    applied_at VARCHAR(40)   NOT NULL);
            """,
        AcquireMigrationLock = """
            DECLARE @result INT;
            EXEC @result = sp_getapplock @Resource = N'connector-migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 120000;
            IF @result < 0 THROW 50001, 'Another connector instance has held the migration lock for 2 minutes.', 1;
            """,
        ReleaseMigrationLock = "EXEC sp_releaseapplock @Resource = N'connector-migrations', @LockOwner = 'Session';",
        InsertSourceRecordIfNew = """
            INSERT INTO source_record (object_name, record_id, system_modstamp, payload, ingested_at)
            SELECT @ObjectName, @RecordId, @SystemModstamp, @Payload, @IngestedAt
            WHERE  NOT EXISTS (SELECT 1 FROM source_record WITH (UPDLOCK, HOLDLOCK)
                               WHERE object_name = @ObjectName AND record_id = @RecordId AND system_modstamp = @SystemModstamp);
            """,
        UpsertWatermark = """
            MERGE sync_watermark WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name) AS s ON t.object_name = s.object_name
            WHEN MATCHED THEN UPDATE SET high_water_mark = @HighWaterMark, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (object_name, high_water_mark, updated_at) VALUES (@ObjectName, @HighWaterMark, @UpdatedAt);
            """,
        UpsertAccount = """
            MERGE billing_account WITH (HOLDLOCK) AS t
            USING (SELECT @AccountId AS account_id) AS s ON t.account_id = s.account_id
            WHEN MATCHED THEN UPDATE SET name = @Name, street = @Street, city = @City, postal_code = @PostalCode,
                                         country = @Country, tax_id = @TaxId, billing_day_of_month = @BillingDayOfMonth, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (account_id, name, street, city, postal_code, country, tax_id, billing_day_of_month, updated_at)
                                  VALUES (@AccountId, @Name, @Street, @City, @PostalCode, @Country, @TaxId, @BillingDayOfMonth, @UpdatedAt);
            """,
        UpsertOrder = """
            MERGE sales_order WITH (HOLDLOCK) AS t
            USING (SELECT @OrderId AS order_id) AS s ON t.order_id = s.order_id
            WHEN MATCHED THEN UPDATE SET order_number = @OrderNumber, account_id = @AccountId, currency = @Currency,
                                         payment_term_days = @PaymentTermDays, invoice_batch = @InvoiceBatch,
                                         payment_terms = @PaymentTerms, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (order_id, order_number, account_id, currency, payment_term_days, invoice_batch, payment_terms, updated_at)
                                  VALUES (@OrderId, @OrderNumber, @AccountId, @Currency, @PaymentTermDays, @InvoiceBatch, @PaymentTerms, @UpdatedAt);
            """,
        UpsertOrderLine = """
            MERGE order_line WITH (HOLDLOCK) AS t
            USING (SELECT @LineId AS line_id) AS s ON t.line_id = s.line_id
            WHEN MATCHED THEN UPDATE SET order_id = @OrderId, product_name = @ProductName, charge_type = @ChargeType,
                                         frequency = @Frequency, timing = @Timing, quantity = @Quantity,
                                         total_price = @TotalPrice, start_date = @StartDate, end_date = @EndDate,
                                         term_months = @TermMonths, prorate_multiplier = @ProrateMultiplier,
                                         tax_rate_percent = @TaxRatePercent, tax_exempt_reason = @TaxExemptReason,
                                         withholding_percent = @WithholdingPercent, revises_line_id = @RevisesLineId,
                                         hold_billing = @HoldBilling, next_billing_date = @NextBillingDate, contract_id = @ContractId,
                                         updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (line_id, order_id, product_name, charge_type, frequency, timing, quantity, total_price,
                                          start_date, end_date, term_months, prorate_multiplier, tax_rate_percent, tax_exempt_reason, withholding_percent,
                                          revises_line_id, hold_billing, next_billing_date, contract_id, updated_at)
                                  VALUES (@LineId, @OrderId, @ProductName, @ChargeType, @Frequency, @Timing, @Quantity, @TotalPrice,
                                          @StartDate, @EndDate, @TermMonths, @ProrateMultiplier, @TaxRatePercent, @TaxExemptReason, @WithholdingPercent,
                                          @RevisesLineId, @HoldBilling, @NextBillingDate, @ContractId, @UpdatedAt);
            """,
        InsertQuarantineIfNew = """
            MERGE quarantine WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name, @RecordId AS record_id, @Reason AS reason) AS s
               ON t.object_name = s.object_name AND t.record_id = s.record_id AND t.reason = s.reason
            WHEN MATCHED THEN UPDATE SET status = 'Open', payload = @Payload
            WHEN NOT MATCHED THEN INSERT (object_name, record_id, reason, payload, status, created_at)
                                  VALUES (@ObjectName, @RecordId, @Reason, @Payload, 'Open', @CreatedAt);
            """,
        InsertInvoice = """
            INSERT INTO invoice (number, status, account_id, currency, issue_date, due_date, seller, buyer,
                                 net_minor, tax_minor, total_minor, posted_at, batch, withheld_minor)
            OUTPUT inserted.id
            VALUES (@Number, 'Posted', @AccountId, @Currency, @IssueDate, @DueDate, @Seller, @Buyer,
                    @NetMinor, @TaxMinor, @TotalMinor, @PostedAt, @Batch, @WithheldMinor);
            """,
        UpsertContractTerm = """
            MERGE contract_term WITH (HOLDLOCK) AS t
            USING (SELECT @ContractId AS contract_id) AS s ON t.contract_id = s.contract_id
            WHEN MATCHED THEN UPDATE SET end_date = @EndDate, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (contract_id, end_date, updated_at) VALUES (@ContractId, @EndDate, @UpdatedAt);
            """,
        UpsertIncomingPayment = """
            MERGE incoming_payment WITH (HOLDLOCK) AS t
            USING (SELECT @PaymentId AS payment_id) AS s ON t.payment_id = s.payment_id
            WHEN MATCHED THEN UPDATE SET reversed = CASE WHEN t.reversed = 1 OR @Reversed = 1 THEN 1 ELSE 0 END, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (payment_id, object_name, account_id, amount, received_on, invoice_number, reversed, updated_at)
                                  VALUES (@PaymentId, @ObjectName, @AccountId, @Amount, @ReceivedOn, @InvoiceNumber, @Reversed, @UpdatedAt);
            """,
        UpsertFactState = """
            MERGE fact_state WITH (HOLDLOCK) AS t
            USING (SELECT @Topic AS topic, @EntityKey AS entity_key) AS s ON t.topic = s.topic AND t.entity_key = s.entity_key
            WHEN MATCHED THEN UPDATE SET payload_hash = @PayloadHash, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (topic, entity_key, account_id, payload_hash, updated_at)
                                  VALUES (@Topic, @EntityKey, @AccountId, @PayloadHash, @UpdatedAt);
            """,
        InsertCreditNote = """
            INSERT INTO credit_note (number, account_id, currency, issue_date, corrects_invoice_id, corrects_number,
                                     corrects_issue_date, reason, net_minor, tax_minor, withheld_minor, total_minor, posted_at)
            OUTPUT inserted.id
            VALUES (@Number, @AccountId, @Currency, @IssueDate, @CorrectsInvoiceId, @CorrectsNumber,
                    @CorrectsIssueDate, @Reason, @NetMinor, @TaxMinor, @WithheldMinor, @TotalMinor, @PostedAt);
            """,
        InsertDocument = """
            INSERT INTO document (invoice_id, file_name, content_type, content, content_hash, created_at)
            OUTPUT inserted.id
            SELECT @InvoiceId, @FileName, @ContentType, @Content, @ContentHash, @CreatedAt
            WHERE  NOT EXISTS (SELECT 1 FROM document WITH (UPDLOCK, HOLDLOCK) WHERE invoice_id = @InvoiceId);
            """,
        SelectPendingOutbox = """
            SELECT TOP (@Limit)
                   id         AS Id,
                   topic      AS Topic,
                   entity_key AS EntityKey,
                   payload    AS Payload,
                   attempts   AS Attempts,
                   failures   AS Failures
            FROM   outbox
            WHERE  status = 'Pending' AND next_attempt_at <= @Now
            ORDER BY id;
            """,
        UpsertRemoteRecord = """
            MERGE remote_record WITH (HOLDLOCK) AS t
            USING (SELECT @ObjectName AS object_name, @EntityKey AS entity_key) AS s
               ON t.object_name = s.object_name AND t.entity_key = s.entity_key
            WHEN MATCHED THEN UPDATE SET remote_id = @RemoteId, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (object_name, entity_key, remote_id, updated_at)
                                  VALUES (@ObjectName, @EntityKey, @RemoteId, @UpdatedAt);
            """,
        TakeLease = """
            UPDATE lease WITH (UPDLOCK, HOLDLOCK)
            SET    acquired_at = CASE WHEN holder = @Holder AND expires_at >= @Now THEN acquired_at ELSE @Now END,
                   holder = @Holder,
                   expires_at = @ExpiresAt
            WHERE  name = @Name AND (holder = @Holder OR expires_at <= @Now);
            IF @@ROWCOUNT = 0
                INSERT INTO lease (name, holder, expires_at, acquired_at)
                SELECT @Name, @Holder, @ExpiresAt, @Now
                WHERE  NOT EXISTS (SELECT 1 FROM lease WITH (UPDLOCK, HOLDLOCK) WHERE name = @Name);
            """,
    };
}
