using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>The ordered side of billing: accounts, orders, lines, contract terms and incoming payments, as the pipeline stores them, and the holds and reversals a deletion causes. Statements the dialects share are written once; the others per dialect (PostgreSQL's start from SQLite's).</summary>
[SqlCatalog]
internal sealed record OrderSql
{
    public required string UpsertAccount { get; init; }

    public required string UpsertOrder { get; init; }

    public required string UpsertOrderLine { get; init; }

    public required string UpsertContractTerm { get; init; }

    public required string UpsertIncomingPayment { get; init; }

    public string HoldLine { get; init; } = Common.HoldLine;

    public string HoldOrderLines { get; init; } = Common.HoldOrderLines;

    public string ReverseIncomingPayment { get; init; } = Common.ReverseIncomingPayment;

    public string SelectPendingIncomingPayments { get; init; } = Common.SelectPendingIncomingPayments;

    public string MarkIncomingPaymentApplied { get; init; } = Common.MarkIncomingPaymentApplied;

    public string MarkIncomingPaymentReversalApplied { get; init; } = Common.MarkIncomingPaymentReversalApplied;

    public string CountPendingIncomingPayments { get; init; } = Common.CountPendingIncomingPayments;

    public static OrderSql Sqlite { get; } = new()
    {
        UpsertAccount = """
            INSERT INTO billing_account (account_id, name, street, city, postal_code, country, tax_id, billing_day_of_month, language, endpoint_id, endpoint_scheme, buyer_reference, updated_at)
            VALUES (@AccountId, @Name, @Street, @City, @PostalCode, @Country, @TaxId, @BillingDayOfMonth, @Language, @EndpointId, @EndpointScheme, @BuyerReference, @UpdatedAt)
            ON CONFLICT (account_id) DO UPDATE SET
                name = excluded.name, street = excluded.street, city = excluded.city, postal_code = excluded.postal_code,
                country = excluded.country, tax_id = excluded.tax_id, billing_day_of_month = excluded.billing_day_of_month,
                language = excluded.language, endpoint_id = excluded.endpoint_id, endpoint_scheme = excluded.endpoint_scheme,
                buyer_reference = excluded.buyer_reference, updated_at = excluded.updated_at
            """,
        UpsertOrder = """
            INSERT INTO sales_order (order_id, order_number, account_id, currency, payment_term_days, invoice_batch, payment_terms, legal_entity, updated_at)
            VALUES (@OrderId, @OrderNumber, @AccountId, @Currency, @PaymentTermDays, @InvoiceBatch, @PaymentTerms, @LegalEntity, @UpdatedAt)
            ON CONFLICT (order_id) DO UPDATE SET
                order_number = excluded.order_number, account_id = excluded.account_id, currency = excluded.currency,
                payment_term_days = excluded.payment_term_days, invoice_batch = excluded.invoice_batch,
                payment_terms = excluded.payment_terms, legal_entity = excluded.legal_entity, updated_at = excluded.updated_at
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
        UpsertContractTerm = """
            INSERT INTO contract_term (contract_id, end_date, updated_at) VALUES (@ContractId, @EndDate, @UpdatedAt)
            ON CONFLICT (contract_id) DO UPDATE SET end_date = excluded.end_date, updated_at = excluded.updated_at
            """,
        UpsertIncomingPayment = """
            INSERT INTO incoming_payment (payment_id, object_name, account_id, amount, received_on, invoice_number, reversed, updated_at)
            VALUES (@PaymentId, @ObjectName, @AccountId, @Amount, @ReceivedOn, @InvoiceNumber, @Reversed, @UpdatedAt)
            ON CONFLICT (payment_id) DO UPDATE SET reversed = MAX(incoming_payment.reversed, excluded.reversed), updated_at = excluded.updated_at
            """,
    };

    public static OrderSql SqlServer { get; } = new()
    {
        UpsertAccount = """
            MERGE billing_account WITH (HOLDLOCK) AS t
            USING (SELECT @AccountId AS account_id) AS s ON t.account_id = s.account_id
            WHEN MATCHED THEN UPDATE SET name = @Name, street = @Street, city = @City, postal_code = @PostalCode,
                                         country = @Country, tax_id = @TaxId, billing_day_of_month = @BillingDayOfMonth, language = @Language,
                                         endpoint_id = @EndpointId, endpoint_scheme = @EndpointScheme, buyer_reference = @BuyerReference, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (account_id, name, street, city, postal_code, country, tax_id, billing_day_of_month, language, endpoint_id, endpoint_scheme, buyer_reference, updated_at)
                                  VALUES (@AccountId, @Name, @Street, @City, @PostalCode, @Country, @TaxId, @BillingDayOfMonth, @Language, @EndpointId, @EndpointScheme, @BuyerReference, @UpdatedAt);
            """,
        UpsertOrder = """
            MERGE sales_order WITH (HOLDLOCK) AS t
            USING (SELECT @OrderId AS order_id) AS s ON t.order_id = s.order_id
            WHEN MATCHED THEN UPDATE SET order_number = @OrderNumber, account_id = @AccountId, currency = @Currency,
                                         payment_term_days = @PaymentTermDays, invoice_batch = @InvoiceBatch,
                                         payment_terms = @PaymentTerms, legal_entity = @LegalEntity, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (order_id, order_number, account_id, currency, payment_term_days, invoice_batch, payment_terms, legal_entity, updated_at)
                                  VALUES (@OrderId, @OrderNumber, @AccountId, @Currency, @PaymentTermDays, @InvoiceBatch, @PaymentTerms, @LegalEntity, @UpdatedAt);
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
    };

    public static OrderSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with
    {
        UpsertIncomingPayment = """
                INSERT INTO incoming_payment (payment_id, object_name, account_id, amount, received_on, invoice_number, reversed, updated_at)
                VALUES (@PaymentId, @ObjectName, @AccountId, @Amount, @ReceivedOn, @InvoiceNumber, @Reversed, @UpdatedAt)
                ON CONFLICT (payment_id) DO UPDATE SET reversed = GREATEST(incoming_payment.reversed, excluded.reversed), updated_at = excluded.updated_at
                """,
    });

    public static OrderSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        public const string HoldLine = """
            UPDATE order_line SET hold_billing = 1, updated_at = @UpdatedAt WHERE line_id = @RecordId
            """;

        public const string HoldOrderLines = """
            UPDATE order_line SET hold_billing = 1, updated_at = @UpdatedAt WHERE order_id = @RecordId
            """;

        public const string ReverseIncomingPayment = """
            UPDATE incoming_payment SET reversed = 1, updated_at = @UpdatedAt WHERE payment_id = @RecordId
            """;

        public const string SelectPendingIncomingPayments = """
            SELECT payment_id     AS PaymentId,
                   object_name    AS ObjectName,
                   account_id     AS AccountId,
                   amount         AS Amount,
                   received_on    AS ReceivedOn,
                   invoice_number AS InvoiceNumber,
                   CAST(reversed AS INT) AS Reversed,
                   CAST(applied AS INT) AS Applied
            FROM   incoming_payment
            WHERE  applied = 0 OR (reversed = 1 AND reversal_applied = 0)
            ORDER BY received_on, payment_id
            """;

        public const string MarkIncomingPaymentApplied = "UPDATE incoming_payment SET applied = 1 WHERE payment_id IN @Ids";

        public const string MarkIncomingPaymentReversalApplied = "UPDATE incoming_payment SET reversal_applied = 1 WHERE payment_id IN @Ids";

        public const string CountPendingIncomingPayments = """
            SELECT COUNT(*) FROM incoming_payment WHERE applied = 0 OR (reversed = 1 AND reversal_applied = 0)
            """;
    }
}
