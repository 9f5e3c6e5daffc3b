using System.Data.Common;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Outbox;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>Billable orders in, posted invoices out. Posting is one transaction: number, invoice, charges, outbox.</summary>
public sealed class InvoiceStore(ConnectorDatabase database, TimeProvider timeProvider)
{
    private const int InListChunk = 500;

    public async Task<IReadOnlyList<BillableOrder>> LoadBillableOrdersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BillableLineRow>(Command(database.Sql.SelectBillableLines, null, cancellationToken));
        return
        [
            .. rows.GroupBy(r => r.OrderId, StringComparer.Ordinal).Select(g => new BillableOrder
            {
                OrderId = g.Key,
                OrderNumber = g.First().OrderNumber,
                Account = g.First().ToAccount(),
                Currency = Currency.Of(g.First().Currency),
                PaymentTermDays = g.First().PaymentTermDays,
                Lines = [.. g.Select(r => r.ToLine())],
            }),
        ];
    }

    /// <summary>The (line, period start, period end) keys already billed among these lines.</summary>
    public async Task<ISet<(string LineId, DateOnly Start, DateOnly End)>> BilledKeysAsync(IEnumerable<string> lineIds, CancellationToken cancellationToken)
    {
        var keys = new HashSet<(string, DateOnly, DateOnly)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in lineIds.Distinct(StringComparer.Ordinal).Chunk(InListChunk))
        {
            var rows = await connection.QueryAsync<(string OrderLineId, string PeriodStart, string PeriodEnd)>(
                Command(database.Sql.SelectBilledKeys, new { LineIds = chunk }, cancellationToken));
            keys.UnionWith(rows.Select(r => (r.OrderLineId, DbText.ParseDate(r.PeriodStart), DbText.ParseDate(r.PeriodEnd))));
        }

        return keys;
    }

    /// <summary>
    /// Posts a draft: takes the next number of <paramref name="series"/>, stores the invoice, its lines and taxes, marks
    /// each (line, period) billed and queues the outbox facts, all in one transaction. Returns null, posting nothing,
    /// when another run billed one of the charges first (the unique key on billed charges decides).
    /// </summary>
    public async Task<Invoice?> PostAsync(Invoice draft, string series, CancellationToken cancellationToken) =>
        await PostAsync(draft, series, new Dictionary<string, DateOnly?>(), cancellationToken);

    /// <param name="draft">The invoice to post (without number).</param>
    /// <param name="series">The number series.</param>
    /// <param name="nextBillingDates">Per order on the invoice, when it is next billed; written back with the order's facts.</param>
    /// <param name="cancellationToken">Cancels before commit; nothing is then posted.</param>
    public async Task<Invoice?> PostAsync(Invoice draft, string series, IReadOnlyDictionary<string, DateOnly?> nextBillingDates, CancellationToken cancellationToken)
    {
        var sql = database.Sql;
        var now = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(Command(sql.EnsureNumberSeries, new { Series = series }, cancellationToken, transaction));
            var next = await connection.ExecuteScalarAsync<long>(Command(sql.TakeNextNumber, new { Series = series }, cancellationToken, transaction));
            var number = InvoiceNumber.Format(series, next);

            var id = await connection.ExecuteScalarAsync<long>(Command(sql.InsertInvoice, new
            {
                Number = number,
                draft.AccountId,
                Currency = draft.Currency.Code,
                IssueDate = DbText.Date(draft.IssueDate),
                DueDate = DbText.Date(draft.DueDate),
                Seller = PartyJson.Serialize(draft.Seller),
                Buyer = PartyJson.Serialize(draft.Buyer),
                NetMinor = draft.Net.MinorUnits,
                TaxMinor = draft.Tax.MinorUnits,
                TotalMinor = draft.Total.MinorUnits,
                PostedAt = now,
            }, cancellationToken, transaction));
            var posted = draft with { Id = id, Number = number };

            foreach (var line in posted.Lines)
            {
                await connection.ExecuteAsync(Command(sql.InsertInvoiceLine, new
                {
                    InvoiceId = id,
                    line.LineNumber,
                    line.OrderId,
                    line.OrderLineId,
                    line.Description,
                    PeriodStart = DbText.Date(line.Period.Start),
                    PeriodEnd = DbText.Date(line.Period.End),
                    Quantity = DbText.Decimal(line.Quantity),
                    ProrationFactor = DbText.Decimal(line.ProrationFactor),
                    NetMinor = line.Net.MinorUnits,
                    TaxRatePercent = DbText.Decimal(line.TaxRatePercent),
                    line.Explanation,
                }, cancellationToken, transaction));
                await connection.ExecuteAsync(Command(sql.InsertBilledCharge, new
                {
                    line.OrderLineId,
                    PeriodStart = DbText.Date(line.Period.Start),
                    PeriodEnd = DbText.Date(line.Period.End),
                    InvoiceId = id,
                    NetMinor = line.Net.MinorUnits,
                }, cancellationToken, transaction));
            }

            foreach (var tax in posted.Taxes)
            {
                await connection.ExecuteAsync(Command(sql.InsertInvoiceTax, new
                {
                    InvoiceId = id,
                    TaxRatePercent = DbText.Decimal(tax.RatePercent),
                    BaseMinor = tax.Base.MinorUnits,
                    TaxMinor = tax.Tax.MinorUnits,
                }, cancellationToken, transaction));
            }

            foreach (var (topic, key, payload) in OutboxFactsFor(posted, nextBillingDates))
            {
                await connection.ExecuteAsync(Command(sql.InsertOutbox, new { Topic = topic, EntityKey = key, Payload = payload, CreatedAt = now }, cancellationToken, transaction));
            }

            await transaction.CommitAsync(cancellationToken);
            return posted;
        }
        catch (DbException ex) when (StorageErrors.IsUniqueViolation(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return null;
        }
    }

    public async Task<IReadOnlyList<Invoice>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var invoices = (await connection.QueryAsync<InvoiceRow>(Command(database.Sql.SelectInvoices, null, cancellationToken))).ToList();
        return await WithLinesAsync(connection, invoices, cancellationToken);
    }

    public async Task<Invoice?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var invoices = (await connection.QueryAsync<InvoiceRow>(Command(database.Sql.SelectInvoiceById, new { Id = id }, cancellationToken))).ToList();
        return (await WithLinesAsync(connection, invoices, cancellationToken)).SingleOrDefault();
    }

    private static IEnumerable<(string Topic, string Key, string Payload)> OutboxFactsFor(Invoice invoice, IReadOnlyDictionary<string, DateOnly?> nextBillingDates)
    {
        var orderIds = invoice.OrderIds;
        yield return (OutboxTopics.Invoice, invoice.Number, OutboxJson.Serialize(new InvoiceFacts(
            invoice.Number,
            invoice.Number,
            "Posted",
            invoice.AccountId,
            orderIds.Count == 1 ? orderIds[0] : null,
            invoice.Currency.Code,
            invoice.IssueDate,
            invoice.DueDate,
            invoice.Net.Value,
            invoice.Tax.Value,
            invoice.Total.Value,
            invoice.Total.Value,
            "Unpaid")));

        foreach (var orderId in orderIds)
        {
            var billedThrough = invoice.Lines.Where(l => l.OrderId == orderId).Max(l => l.Period.End);
            yield return (OutboxTopics.Order, orderId, OutboxJson.Serialize(
                new OrderFacts(orderId, invoice.Number, invoice.IssueDate, billedThrough, nextBillingDates.GetValueOrDefault(orderId))));
        }
    }

    private async Task<IReadOnlyList<Invoice>> WithLinesAsync(DbConnection connection, List<InvoiceRow> invoices, CancellationToken cancellationToken)
    {
        var lines = new List<InvoiceLineRow>();
        var taxes = new List<InvoiceTaxRow>();
        foreach (var chunk in invoices.Select(i => i.Id).Chunk(InListChunk))
        {
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(Command(database.Sql.SelectInvoiceLines, new { InvoiceIds = chunk }, cancellationToken)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(Command(database.Sql.SelectInvoiceTaxes, new { InvoiceIds = chunk }, cancellationToken)));
        }

        var linesByInvoice = lines.ToLookup(l => l.InvoiceId);
        var taxesByInvoice = taxes.ToLookup(t => t.InvoiceId);
        return [.. invoices.Select(i => i.ToDomain(linesByInvoice[i.Id], taxesByInvoice[i.Id]))];
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken);
}
