using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>Usage billing's statements: consumption schedules and rates as the org holds them, usage records, and what billed them.</summary>
[SqlCatalog]
internal sealed record UsageSql
{
    public required string UpsertSchedule { get; init; }

    public required string UpsertRate { get; init; }

    public required string InsertUsage { get; init; }

    public required string InsertUsageBilled { get; init; }

    public string SelectUsageByIds { get; init; } = Common.SelectUsageByIds;

    public string SelectSchedulesOfLines { get; init; } = Common.SelectSchedulesOfLines;

    public string SelectRatesOfSchedules { get; init; } = Common.SelectRatesOfSchedules;

    public string SelectUsageOfLines { get; init; } = Common.SelectUsageOfLines;

    public string SelectUsageBilled { get; init; } = Common.SelectUsageBilled;

    public string SelectKnownLines { get; init; } = Common.SelectKnownLines;

    public static UsageSql Sqlite { get; } = new()
    {
        UpsertSchedule = """
            INSERT INTO consumption_schedule (schedule_id, line_id, type, billing_term, billing_term_unit, unit_of_measure, matching_attribute, active, updated_at)
            VALUES (@ScheduleId, @LineId, @Type, @BillingTerm, @BillingTermUnit, @UnitOfMeasure, @MatchingAttribute, @Active, @UpdatedAt)
            ON CONFLICT (schedule_id) DO UPDATE SET
                line_id = excluded.line_id, type = excluded.type, billing_term = excluded.billing_term, billing_term_unit = excluded.billing_term_unit,
                unit_of_measure = excluded.unit_of_measure, matching_attribute = excluded.matching_attribute, active = excluded.active, updated_at = excluded.updated_at
            """,
        UpsertRate = """
            INSERT INTO consumption_rate (rate_id, schedule_id, processing_order, lower_bound, upper_bound, price, pricing_method, updated_at)
            VALUES (@RateId, @ScheduleId, @ProcessingOrder, @LowerBound, @UpperBound, @Price, @PricingMethod, @UpdatedAt)
            ON CONFLICT (rate_id) DO UPDATE SET
                schedule_id = excluded.schedule_id, processing_order = excluded.processing_order, lower_bound = excluded.lower_bound,
                upper_bound = excluded.upper_bound, price = excluded.price, pricing_method = excluded.pricing_method, updated_at = excluded.updated_at
            """,
        InsertUsage = """
            INSERT INTO usage_record (usage_id, line_id, usage_date, quantity, unit_of_measure, matching_attribute, source, source_record_id, received_at)
            VALUES (@UsageId, @LineId, @UsageDate, @Quantity, @UnitOfMeasure, @MatchingAttribute, @Source, @SourceRecordId, @ReceivedAt)
            ON CONFLICT (usage_id) DO NOTHING
            """,
        InsertUsageBilled = """
            INSERT INTO usage_billed (usage_id, document, billed_at) VALUES (@UsageId, @Document, @BilledAt)
            ON CONFLICT (usage_id) DO NOTHING
            """,
    };

    public static UsageSql SqlServer { get; } = new()
    {
        UpsertSchedule = """
            MERGE consumption_schedule WITH (HOLDLOCK) AS t
            USING (SELECT @ScheduleId AS schedule_id) AS s ON t.schedule_id = s.schedule_id
            WHEN MATCHED THEN UPDATE SET
                line_id = @LineId, type = @Type, billing_term = @BillingTerm, billing_term_unit = @BillingTermUnit,
                unit_of_measure = @UnitOfMeasure, matching_attribute = @MatchingAttribute, active = @Active, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (schedule_id, line_id, type, billing_term, billing_term_unit, unit_of_measure, matching_attribute, active, updated_at)
                VALUES (@ScheduleId, @LineId, @Type, @BillingTerm, @BillingTermUnit, @UnitOfMeasure, @MatchingAttribute, @Active, @UpdatedAt);
            """,
        UpsertRate = """
            MERGE consumption_rate WITH (HOLDLOCK) AS t
            USING (SELECT @RateId AS rate_id) AS s ON t.rate_id = s.rate_id
            WHEN MATCHED THEN UPDATE SET
                schedule_id = @ScheduleId, processing_order = @ProcessingOrder, lower_bound = @LowerBound, upper_bound = @UpperBound,
                price = @Price, pricing_method = @PricingMethod, updated_at = @UpdatedAt
            WHEN NOT MATCHED THEN INSERT (rate_id, schedule_id, processing_order, lower_bound, upper_bound, price, pricing_method, updated_at)
                VALUES (@RateId, @ScheduleId, @ProcessingOrder, @LowerBound, @UpperBound, @Price, @PricingMethod, @UpdatedAt);
            """,
        InsertUsage = """
            INSERT INTO usage_record (usage_id, line_id, usage_date, quantity, unit_of_measure, matching_attribute, source, source_record_id, received_at)
            SELECT @UsageId, @LineId, @UsageDate, @Quantity, @UnitOfMeasure, @MatchingAttribute, @Source, @SourceRecordId, @ReceivedAt
            WHERE NOT EXISTS (SELECT 1 FROM usage_record WITH (UPDLOCK, HOLDLOCK) WHERE usage_id = @UsageId);
            """,
        InsertUsageBilled = """
            INSERT INTO usage_billed (usage_id, document, billed_at)
            SELECT @UsageId, @Document, @BilledAt
            WHERE NOT EXISTS (SELECT 1 FROM usage_billed WITH (UPDLOCK, HOLDLOCK) WHERE usage_id = @UsageId);
            """,
    };

    public static UsageSql Postgres { get; } = SqlDialect.ForPostgres(Sqlite with { });

    public static UsageSql For(StorageProvider provider) => SqlDialect.Pick(provider, Sqlite, SqlServer, Postgres);

    private static class Common
    {
        private const string UsageColumns = """
            SELECT usage_id           AS UsageId,
                   line_id            AS LineId,
                   usage_date         AS UsageDate,
                   quantity           AS Quantity,
                   unit_of_measure    AS UnitOfMeasure,
                   matching_attribute AS MatchingAttribute,
                   source             AS Source,
                   source_record_id   AS SourceRecordId
            FROM   usage_record
            """;

        public const string SelectUsageByIds = UsageColumns + "\nWHERE usage_id IN @Ids";

        public const string SelectUsageOfLines = UsageColumns + "\nWHERE line_id IN @LineIds\nORDER BY received_at, usage_id";

        public const string SelectSchedulesOfLines = """
            SELECT schedule_id        AS ScheduleId,
                   line_id            AS LineId,
                   type               AS Type,
                   billing_term       AS BillingTerm,
                   billing_term_unit  AS BillingTermUnit,
                   unit_of_measure    AS UnitOfMeasure,
                   matching_attribute AS MatchingAttribute
            FROM   consumption_schedule
            WHERE  line_id IN @LineIds AND active = 1
            ORDER BY line_id, schedule_id
            """;

        public const string SelectRatesOfSchedules = """
            SELECT rate_id          AS RateId,
                   schedule_id      AS ScheduleId,
                   processing_order AS ProcessingOrder,
                   lower_bound      AS LowerBound,
                   upper_bound      AS UpperBound,
                   price            AS Price,
                   pricing_method   AS PricingMethod
            FROM   consumption_rate
            WHERE  schedule_id IN @ScheduleIds
            ORDER BY schedule_id, rate_id
            """;

        public const string SelectKnownLines = "SELECT line_id FROM order_line WHERE line_id IN @LineIds";

        public const string SelectUsageBilled = "SELECT usage_id AS UsageId, document AS Document FROM usage_billed WHERE usage_id IN @Ids";
    }
}
