using System.Data.Common;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Usage;
using Connector.Storage;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Invoicing.Storage;

/// <summary>
/// Usage in the book: each order line's active consumption schedule (which makes it a usage line, whatever charge type
/// the org gives it), the usage records of the batch's usage lines, and what billed them.
/// </summary>
internal sealed partial class BookStore
{
    private readonly UsageSql _usage = UsageSql.For(database.Provider);

    /// <summary>
    /// The orders with their usage lines' schedules attached: a line with one active schedule is a usage line; a line
    /// mapped as Usage without one, or with more than one, or whose schedule billing cannot rate, is a fault (held, with
    /// the reason), as is any other line the engine cannot take.
    /// </summary>
    private async Task<List<BillableOrder>> AttachSchedulesAsync(DbConnection connection, DbTransaction snapshot, List<BillableOrder> orders, List<HeldLine> faults,
        CancellationToken cancellationToken)
    {
        var lineIds = orders.SelectMany(o => o.Lines.Select(l => l.LineId)).ToList();
        var schedules = new List<ScheduleRow>();
        foreach (var chunk in lineIds.Chunk(InListChunk))
        {
            schedules.AddRange(await connection.QueryAsync<ScheduleRow>(database.Command(_usage.SelectSchedulesOfLines, new { LineIds = chunk }, snapshot, cancellationToken)));
        }

        var rates = new List<RateRow>();
        foreach (var chunk in schedules.Select(s => s.ScheduleId).Chunk(InListChunk))
        {
            rates.AddRange(await connection.QueryAsync<RateRow>(database.Command(_usage.SelectRatesOfSchedules, new { ScheduleIds = chunk }, snapshot, cancellationToken)));
        }

        var schedulesByLine = schedules.ToLookup(s => s.LineId, StringComparer.Ordinal);
        var ratesBySchedule = rates.ToLookup(r => r.ScheduleId, StringComparer.Ordinal);
        var result = new List<BillableOrder>();
        foreach (var order in orders)
        {
            var lines = new List<BillableLine>();
            foreach (var line in order.Lines)
            {
                var found = schedulesByLine[line.LineId].ToList();
                if (found.Count == 0)
                {
                    if (line.ChargeType == ChargeType.Usage && !line.HoldBilling)
                    {
                        faults.Add(new HeldLine(line.LineId, order.Account.AccountId,
                            "its charge type is Usage but it has no active consumption schedule (SBQQ__OrderItemConsumptionSchedule__c with its rates); add one to the order product, or map its charge type to One-Time or Recurring"));
                        continue;
                    }

                    lines.Add(line);
                    continue;
                }

                try
                {
                    if (found.Count > 1)
                    {
                        throw new BillingRuleException($"it has {found.Count} active consumption schedules ({string.Join(", ", found.Select(s => s.ScheduleId))}); the connector bills one schedule per order product: deactivate the others or split the product");
                    }

                    var row = found[0];
                    var (schedule, changes) = OrgConsumptionSchedule.Build(row.Type, row.BillingTerm, row.BillingTermUnit, row.UnitOfMeasure, row.MatchingAttribute,
                        [.. ratesBySchedule[row.ScheduleId].Select(r => r.ToDomain())]);
                    foreach (var change in changes)
                    {
                        Log.BoundsNormalised(logger ?? NullLogger<BookStore>.Instance, row.ScheduleId, line.LineId, change);
                    }

                    lines.Add(line with { ChargeType = ChargeType.Usage, Frequency = null, Timing = BillingTiming.Arrears, Consumption = schedule });
                }
                catch (Exception ex) when (ex is BillingRuleException or FormatException or OverflowException)
                {
                    if (!line.HoldBilling)
                    {
                        faults.Add(new HeldLine(line.LineId, order.Account.AccountId, ex.Message));
                    }
                }
            }

            result.Add(order with { Lines = lines });
        }

        return result;
    }

    /// <summary>
    /// Puts the stored usage of the book's lines, and what billed it, into the book; usage of a line that is not billed by
    /// usage is rejected with the reason (and the org learns it), never dropped silently.
    /// </summary>
    private async Task RestoreUsageAsync(DbConnection connection, DbTransaction snapshot, BillingBook book, IEnumerable<string> lineIds, CancellationToken cancellationToken)
    {
        var records = new List<UsageRow>();
        foreach (var chunk in lineIds.Chunk(InListChunk))
        {
            records.AddRange(await connection.QueryAsync<UsageRow>(database.Command(_usage.SelectUsageOfLines, new { LineIds = chunk }, snapshot, cancellationToken)));
        }

        var billed = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var chunk in records.Select(r => r.UsageId).Chunk(InListChunk))
        {
            foreach (var row in await connection.QueryAsync<(string UsageId, string? Document)>(database.Command(_usage.SelectUsageBilled, new { Ids = chunk }, snapshot, cancellationToken)))
            {
                billed[row.UsageId] = row.Document;
            }
        }

        book.RestoreUsage(records.Select(r => r.ToDomain()), billed);
    }

    /// <summary>Appends which document took each usage record into account, for the marks the book made since it was loaded.</summary>
    private Task SaveUsageBilledAsync(DbConnection connection, DbTransaction transaction, LoadedBook loaded, string now, CancellationToken cancellationToken)
    {
        var rows = loaded.Book.UsageBilledLog.Skip(loaded.UsageBilledCount).Select(b => new { b.UsageId, b.Document, BilledAt = now }).ToList();
        return MultiRowInsert.ExecuteAsync(connection, transaction, database.Provider, _usage.InsertUsageBilled, [.. rows.Cast<object>()], cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Consumption schedule {ScheduleId} of order product {LineId} read with inclusive upper bounds: {Change}")]
        public static partial void BoundsNormalised(ILogger logger, string scheduleId, string lineId, string change);
    }

    private sealed class ScheduleRow
    {
        public string ScheduleId { get; init; } = "";
        public string LineId { get; init; } = "";
        public string Type { get; init; } = "";
        public int BillingTerm { get; init; }
        public string BillingTermUnit { get; init; } = "";
        public string? UnitOfMeasure { get; init; }
        public string? MatchingAttribute { get; init; }
    }

    private sealed class RateRow
    {
        public string RateId { get; init; } = "";
        public string ScheduleId { get; init; } = "";
        public int? ProcessingOrder { get; init; }
        public string LowerBound { get; init; } = "";
        public string? UpperBound { get; init; }
        public string Price { get; init; } = "";
        public string PricingMethod { get; init; } = "";

        public OrgRate ToDomain() => new(RateId, ProcessingOrder, DbText.ParseDecimal(LowerBound), DbText.ParseNullableDecimal(UpperBound), DbText.ParseDecimal(Price), PricingMethod);
    }
}

/// <summary>A stored usage record.</summary>
internal sealed class UsageRow
{
    public string UsageId { get; init; } = "";
    public string LineId { get; init; } = "";
    public string UsageDate { get; init; } = "";
    public string Quantity { get; init; } = "";
    public string? UnitOfMeasure { get; init; }
    public string? MatchingAttribute { get; init; }
    public string Source { get; init; } = "";
    public string? SourceRecordId { get; init; }

    public UsageRecord ToDomain() =>
        new(UsageId, LineId, DbText.ParseDate(UsageDate), DbText.ParseDecimal(Quantity), UnitOfMeasure, MatchingAttribute) { Source = SourceRecordId ?? Source, SourceRecordId = SourceRecordId };
}
