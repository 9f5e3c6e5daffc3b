using System.Data.Common;
using Connector.Invoicing.Orders;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The ordered side of billing as the pipeline delivers it: accounts, orders, lines, contract terms and payments
/// received, upserted by id; and the holds and reversals a record's withdrawal causes. Posted documents are never touched.
/// </summary>
internal sealed class OrderStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private readonly OrderSql _sql = OrderSql.For(database.Provider);
    private readonly UsageSql _usageSql = UsageSql.For(database.Provider);
    private readonly AccountWakes _wakes = new(database);

    /// <summary>Stores <paramref name="changes"/> in a transaction of its own.</summary>
    public async Task SaveAsync(OrderChanges changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        _ = await SaveAsync(changes, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="changes"/> in the caller's transaction (with what else the caller commits). Returns the usage
    /// records refused because a record with the same usage id but other content was stored before (records are never
    /// edited), with the reason, for quarantine.
    /// </summary>
    public async Task<IReadOnlyList<(Usage.IncomingUsage Usage, string Reason)>> SaveAsync(OrderChanges changes, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(transaction);
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await Execute(_sql.UpsertAccount, changes.Accounts.Select(account => new
        {
            account.AccountId, account.Name, account.Street, account.City, account.PostalCode, account.Country, account.TaxId, account.BillingDayOfMonth, account.Language,
            account.EndpointId, account.EndpointScheme, account.BuyerReference, UpdatedAt = now,
        }));
        await Execute(_sql.UpsertOrder, changes.Orders.Select(order => new
        {
            order.OrderId, order.OrderNumber, order.AccountId, order.Currency, order.PaymentTermDays, order.InvoiceBatch, order.PaymentTerms, order.LegalEntity, UpdatedAt = now,
        }));
        await Execute(_sql.UpsertOrderLine, changes.Lines.Select(line => new
        {
            line.LineId,
            line.OrderId,
            line.ProductName,
            ChargeType = line.ChargeType.ToString(),
            Frequency = line.Frequency?.ToString(),
            Timing = line.Timing.ToString(),
            Quantity = DbText.Decimal(line.Quantity),
            TotalPrice = DbText.Decimal(line.TotalPrice),
            StartDate = DbText.Date(line.StartDate),
            EndDate = DbText.Date(line.EndDate),
            TermMonths = DbText.Decimal(line.SubscriptionTermMonths),
            ProrateMultiplier = DbText.Decimal(line.ProrateMultiplier),
            TaxRatePercent = DbText.Decimal(line.TaxRatePercent),
            line.TaxExemptReason,
            WithholdingPercent = DbText.Decimal(line.WithholdingPercent),
            line.RevisesLineId,
            HoldBilling = line.HoldBilling ? 1 : 0,
            NextBillingDate = DbText.Date(line.NextBillingDate),
            line.ContractId,
            UpdatedAt = now,
        }));
        await Execute(_sql.UpsertContractTerm, changes.Contracts.Select(contract => new
        {
            contract.ContractId, EndDate = DbText.Date(contract.EndDate), UpdatedAt = now,
        }));

        // A payment is recorded once as it first arrives; later versions can only reverse it (money received does not
        // change; a corrected amount is a reversal and a new payment).
        await Execute(_sql.UpsertIncomingPayment, changes.Payments.Select(payment => new
        {
            payment.PaymentId, ObjectName = changes.Source, payment.AccountId, Amount = DbText.Decimal(payment.Amount), ReceivedOn = DbText.Date(payment.ReceivedOn),
            payment.InvoiceNumber, Reversed = payment.Reversed ? 1 : 0, UpdatedAt = now,
        }));

        await Execute(_usageSql.UpsertSchedule, changes.Schedules.Select(schedule => new
        {
            ScheduleId = schedule.Id, schedule.LineId, schedule.Type, schedule.BillingTerm, schedule.BillingTermUnit, schedule.UnitOfMeasure, schedule.MatchingAttribute,
            Active = schedule.Active ? 1 : 0, UpdatedAt = now,
        }));
        await Execute(_usageSql.UpsertRate, changes.Rates.Select(rate => new
        {
            RateId = rate.Id, rate.ScheduleId, rate.ProcessingOrder, LowerBound = DbText.Decimal(rate.LowerBound), UpperBound = DbText.Decimal(rate.UpperBound),
            Price = DbText.Decimal(rate.Price), rate.PricingMethod, UpdatedAt = now,
        }));
        await _wakes.InputsChangedAsync(changes, transaction, cancellationToken);
        return (await SaveUsageAsync(changes.Usage, transaction, now, cancellationToken)).Refused;

        async Task Execute<T>(string sql, IEnumerable<T> rows)
        {
            foreach (var row in rows)
            {
                await transaction.Connection!.ExecuteAsync(database.Command(sql, row, transaction, cancellationToken));
            }
        }
    }

    /// <summary>
    /// Stores usage records whose usage id is new; one already stored with the same content changes nothing (a replay, a
    /// re-read, a file imported twice); one with other content is refused with the reason.
    /// </summary>
    public async Task<UsageSaveResult> SaveUsageAsync(IReadOnlyList<Usage.IncomingUsage> usage, DbTransaction transaction, string now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(transaction);
        var refused = new List<(Usage.IncomingUsage, string)>();
        var knownCount = 0;
        if (usage.Count == 0)
        {
            return new UsageSaveResult(0, 0, refused);
        }

        var stored = new Dictionary<string, Usage.UsageRecord>(StringComparer.Ordinal);
        foreach (var chunk in usage.Select(u => u.Record.Id).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            foreach (var row in await transaction.Connection!.QueryAsync<UsageRow>(database.Command(_usageSql.SelectUsageByIds, new { Ids = chunk }, transaction, cancellationToken)))
            {
                stored[row.UsageId] = row.ToDomain();
            }
        }

        var rows = new List<object>();
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incoming in usage)
        {
            var record = incoming.Record;
            if (stored.TryGetValue(record.Id, out var known))
            {
                if (known.SameContent(record))
                {
                    knownCount++;
                }
                else
                {
                    refused.Add((incoming, $"usage {record.Id} ({record.LineId}, {record.Date:yyyy-MM-dd}, quantity {DbText.Decimal(record.Quantity)}) differs from the usage stored under the same id from {known.Source} ({known.LineId}, {known.Date:yyyy-MM-dd}, quantity {DbText.Decimal(known.Quantity)}): usage records are never edited; report a change as a correction record (a negative quantity) with its own usage id"));
                }

                continue;
            }

            stored[record.Id] = record with { Source = incoming.SourceRecordId ?? incoming.Source };
            lines.Add(record.LineId);
            rows.Add(new
            {
                UsageId = record.Id, record.LineId, UsageDate = DbText.Date(record.Date), Quantity = DbText.Decimal(record.Quantity), record.UnitOfMeasure,
                record.MatchingAttribute, incoming.Source, incoming.SourceRecordId, ReceivedAt = now,
            });
        }

        if (rows.Count > 0)
        {
            await transaction.Connection!.ExecuteAsync(database.Command(_usageSql.InsertUsage, rows, transaction, cancellationToken));
            await _wakes.InputsChangedAsync(WakeInput.Line, lines, transaction, cancellationToken);
        }

        return new UsageSaveResult(rows.Count, knownCount, refused);
    }

    /// <summary>Payments recorded in the org that no run has applied yet (an account without orders keeps its payments waiting).</summary>
    public async Task<int> PendingPaymentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(database.Command(_sql.CountPendingIncomingPayments, null, cancellationToken));
    }

    /// <summary>Holds the billing of one line (invoices already posted stand).</summary>
    public Task HoldLineAsync(string lineId, DbTransaction transaction, CancellationToken cancellationToken) =>
        UpdateAsync(_sql.HoldLine, WakeInput.Line, lineId, transaction, cancellationToken);

    /// <summary>Holds the billing of every line of an order.</summary>
    public Task HoldOrderAsync(string orderId, DbTransaction transaction, CancellationToken cancellationToken) =>
        UpdateAsync(_sql.HoldOrderLines, WakeInput.Order, orderId, transaction, cancellationToken);

    /// <summary>Marks a payment received as reversed; the next run reverses it in the ledger.</summary>
    public Task ReversePaymentAsync(string paymentId, DbTransaction transaction, CancellationToken cancellationToken) =>
        UpdateAsync(_sql.ReverseIncomingPayment, WakeInput.Payment, paymentId, transaction, cancellationToken);

    private async Task UpdateAsync(string sql, WakeInput input, string recordId, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await transaction.Connection!.ExecuteAsync(database.Command(sql, new { RecordId = recordId, UpdatedAt = DbText.Instant(timeProvider.GetUtcNow()) }, transaction, cancellationToken));
        await _wakes.InputsChangedAsync(input, [recordId], transaction, cancellationToken);
    }
}
