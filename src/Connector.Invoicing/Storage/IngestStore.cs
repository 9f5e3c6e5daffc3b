using Connector.Invoicing.Quarantine;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>Raw record versions, watermarks, the mapped accounts, orders and lines, and the quarantine.</summary>
public sealed class IngestStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private const int InListChunk = 500;

    public async Task<DateTimeOffset?> GetWatermarkAsync(string objectName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.QuerySingleOrDefaultAsync<string?>(Command(database.Sql.SelectWatermark, new { ObjectName = objectName }, cancellationToken));
        return text is null ? null : DbText.ParseInstant(text);
    }

    /// <summary>The versions not stored yet: an overlapping poll returns versions already seen, which are skipped.</summary>
    public async Task<IReadOnlyList<SourceRecordVersion>> WithoutKnownVersionsAsync(IReadOnlyList<SourceRecordVersion> versions, CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var known = new HashSet<(string, string, string)>();
        foreach (var group in versions.GroupBy(v => v.ObjectName, StringComparer.Ordinal))
        {
            foreach (var chunk in group.Select(v => v.RecordId).Distinct(StringComparer.Ordinal).Chunk(InListChunk))
            {
                var rows = await connection.QueryAsync<(string RecordId, string SystemModstamp)>(
                    Command(database.Sql.SelectExistingVersions, new { ObjectName = group.Key, RecordIds = chunk }, cancellationToken));
                known.UnionWith(rows.Select(r => (group.Key, r.RecordId, r.SystemModstamp)));
            }
        }

        return [.. versions.Where(v => !known.Contains((v.ObjectName, v.RecordId, DbText.Instant(v.SystemModstamp))))];
    }

    public async Task CommitAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var now = DbText.Instant(timeProvider.GetUtcNow());
        var sql = database.Sql;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        foreach (var record in batch.Records)
        {
            await connection.ExecuteAsync(Command(sql.InsertSourceRecordIfNew, new
            {
                record.ObjectName,
                record.RecordId,
                SystemModstamp = DbText.Instant(record.SystemModstamp),
                record.Payload,
                IngestedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var account in batch.Accounts)
        {
            await connection.ExecuteAsync(Command(sql.UpsertAccount, new
            {
                account.AccountId, account.Name, account.Street, account.City, account.PostalCode, account.Country, account.TaxId, account.BillingDayOfMonth, UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var order in batch.Orders)
        {
            await connection.ExecuteAsync(Command(sql.UpsertOrder, new
            {
                order.OrderId, order.OrderNumber, order.AccountId, order.Currency, order.PaymentTermDays, order.InvoiceBatch, order.PaymentTerms, UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var line in batch.Lines)
        {
            await connection.ExecuteAsync(Command(sql.UpsertOrderLine, new
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
                line.RevisesLineId,
                HoldBilling = line.HoldBilling ? 1 : 0,
                NextBillingDate = DbText.Date(line.NextBillingDate),
                line.ContractId,
                UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var contract in batch.Contracts)
        {
            await connection.ExecuteAsync(Command(sql.UpsertContractTerm, new
            {
                contract.ContractId, EndDate = DbText.Date(contract.EndDate), UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var payment in batch.Payments)
        {
            // A payment is recorded once as it first arrives; later versions can only reverse it (money received does
            // not change; a corrected amount is a reversal and a new payment).
            await connection.ExecuteAsync(Command(sql.UpsertIncomingPayment, new
            {
                payment.PaymentId, batch.ObjectName, payment.AccountId, Amount = DbText.Decimal(payment.Amount), ReceivedOn = DbText.Date(payment.ReceivedOn),
                payment.InvoiceNumber, Reversed = payment.Reversed ? 1 : 0, UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        foreach (var recordId in batch.MappedRecordIds)
        {
            await connection.ExecuteAsync(Command(sql.ResolveQuarantine, new { batch.ObjectName, RecordId = recordId }, cancellationToken, transaction));
        }

        foreach (var entry in batch.Quarantined)
        {
            await connection.ExecuteAsync(Command(sql.InsertQuarantineIfNew, new
            {
                entry.ObjectName, entry.RecordId, Reason = Truncate(entry.Reason, 400), entry.Payload, CreatedAt = now,
            }, cancellationToken, transaction));
        }

        if (batch.HighWaterMark is { } mark)
        {
            await connection.ExecuteAsync(Command(sql.UpsertWatermark, new
            {
                batch.ObjectName, HighWaterMark = DbText.Instant(mark), UpdatedAt = now,
            }, cancellationToken, transaction));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<QuarantinedRecord>> OpenQuarantineAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string ObjectName, string RecordId, string Reason, string Payload, string CreatedAt)>(
            Command(database.Sql.SelectOpenQuarantine, null, cancellationToken));
        return [.. rows.Select(r => new QuarantinedRecord(r.Id, r.ObjectName, r.RecordId, r.Reason, r.Payload, DbText.ParseInstant(r.CreatedAt)))];
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, System.Data.Common.DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken);
}
