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
                line.TaxExemptReason,
                WithholdingPercent = DbText.Decimal(line.WithholdingPercent),
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

        foreach (var deletion in batch.Deletions)
        {
            await DeleteAsync(connection, transaction, batch.ObjectName, deletion, now, cancellationToken);
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

    /// <summary>
    /// Applies one deletion from the org to a record stored here: its deletion is stored as the record's newest version
    /// (<c>{"Id":…,"IsDeleted":true}</c>), billing that depended on it is held (or the payment reversed), and a
    /// quarantine row says what happened and what to do. A record never stored, or already stored as deleted, is left alone,
    /// so seeing a deletion twice (queryAll, then getDeleted) changes nothing.
    /// </summary>
    private async Task DeleteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string objectName, RecordDeletion deletion,
        string now, CancellationToken cancellationToken)
    {
        var sql = database.Sql;
        var versions = (await connection.QueryAsync<(string SystemModstamp, string Payload)>(Command(sql.SelectRecordVersions,
            new { ObjectName = objectName, deletion.RecordId }, cancellationToken, transaction))).ToList();
        if (versions.Count == 0 || IsDeletion(versions.MaxBy(v => DbText.ParseInstant(v.SystemModstamp)).Payload))
        {
            return;
        }

        var payload = new System.Text.Json.Nodes.JsonObject { ["Id"] = deletion.RecordId, ["IsDeleted"] = true }.ToJsonString();
        await connection.ExecuteAsync(Command(sql.InsertSourceRecordIfNew, new
        {
            ObjectName = objectName, deletion.RecordId, SystemModstamp = DbText.Instant(deletion.DeletedAt), Payload = payload, IngestedAt = now,
        }, cancellationToken, transaction));
        var (statement, effect) = deletion.Effect switch
        {
            DeletionEffect.HoldLine => (sql.HoldLine, "its billing is held; invoices already posted stand"),
            DeletionEffect.HoldOrder => (sql.HoldOrderLines, "the billing of its lines is held; invoices already posted stand"),
            DeletionEffect.ReversePayment => (sql.ReverseIncomingPayment, "the next invoice run reverses the payment"),
            _ => ((string?)null, "nothing billed depends on it alone"),
        };
        if (statement is not null)
        {
            await connection.ExecuteAsync(Command(statement, new { deletion.RecordId, UpdatedAt = now }, cancellationToken, transaction));
        }

        var when = deletion.DeletedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(Command(sql.InsertQuarantineIfNew, new
        {
            ObjectName = objectName,
            deletion.RecordId,
            Reason = Truncate($"{objectName} {deletion.RecordId} was deleted in Salesforce at {when}: {effect}. Restore it from the Recycle Bin to undo this, or discard this row once settled (credit what was billed if the deletion means it).", 400),
            Payload = payload,
            CreatedAt = now,
        }, cancellationToken, transaction));
    }

    /// <summary>Whether a stored payload is a deletion (see <see cref="DeleteAsync"/>).</summary>
    public static bool IsDeletion(string payload) =>
        System.Text.Json.Nodes.JsonNode.Parse(payload)?["IsDeleted"] is System.Text.Json.Nodes.JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True;

    public async Task<IReadOnlyList<QuarantinedRecord>> OpenQuarantineAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string ObjectName, string RecordId, string Reason, string Payload, string CreatedAt)>(
            Command(database.Sql.SelectOpenQuarantine, null, cancellationToken));
        return [.. rows.Select(r => new QuarantinedRecord(r.Id, r.ObjectName, r.RecordId, r.Reason, r.Payload, DbText.ParseInstant(r.CreatedAt)))];
    }

    /// <summary>Cuts a quarantine reason to the column's length, visibly.</summary>
    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, System.Data.Common.DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken);
}
