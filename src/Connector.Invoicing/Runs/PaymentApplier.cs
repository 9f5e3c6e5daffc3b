using System.Globalization;
using System.Text.Json;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Storage;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Runs;

/// <summary>
/// Applies the payments the org recorded (the mapping's payment source) through the billing engine: each once, to the
/// invoice it names when that invoice is open, oldest due first otherwise, with what is left as unapplied credit; a
/// payment the org later marks reversed is reversed. A payment the rules refuse goes to quarantine with the reason.
/// </summary>
internal sealed class PaymentApplier(ConnectorDatabase database, BookStore store, IPostingJournal journal)
{
    public async Task<PaymentApplication> ApplyPendingAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var sql = OrderSql.For(database.Provider);
        List<IncomingPaymentRow> pending;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            pending = [.. await connection.QueryAsync<IncomingPaymentRow>(new CommandDefinition(sql.SelectPendingIncomingPayments, null, null, database.CommandTimeoutSeconds, cancellationToken: cancellationToken))];
        }

        var result = new PaymentApplication();
        if (pending.Count == 0)
        {
            return result;
        }

        var currencies = await store.AccountCurrenciesAsync(cancellationToken);
        foreach (var batch in pending.Where(p => currencies.ContainsKey(p.AccountId)).GroupBy(p => p.AccountId, StringComparer.Ordinal).Chunk(InvoiceRunner.AccountsPerBatch))
        {
            BatchOutcome outcome;
            try
            {
                // A concurrent writer makes the save refuse the stale book: the batch is loaded and applied again.
                outcome = await store.ConflictRetries.ExecuteAsync(ct => ApplyBatchAsync(batch, currencies, today, ct), cancellationToken);
            }
            catch (BookConflictException)
            {
                continue; // writers kept changing these accounts; the payments stay pending for the next run
            }

            result.Applied += outcome.Applied;
            result.Reversed += outcome.Reversed;
            result.Quarantined.AddRange(outcome.Quarantined);
        }

        return result;
    }

    private sealed record BatchOutcome(int Applied, int Reversed, List<SetAside> Quarantined);

    private async ValueTask<BatchOutcome> ApplyBatchAsync(IGrouping<string, IncomingPaymentRow>[] batch, IReadOnlyDictionary<string, Currency> currencies, DateOnly today,
        CancellationToken cancellationToken)
    {
        // The payments of the batch load whatever they settle: each is looked up (applied once, reversed when the org says so).
        var loaded = await store.LoadReceivablesAsync([.. batch.Select(g => g.Key)], today, batch.SelectMany(g => g).Select(p => p.PaymentId).ToHashSet(StringComparer.Ordinal), cancellationToken);
        var ledger = loaded.Book.Ledger;
        var known = ledger.Payments.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var applied = new List<string>();
        var reversals = new List<string>();
        var quarantined = new List<SetAside>();
        var (appliedCount, reversedCount) = (0, 0);
        foreach (var payment in batch.SelectMany(g => g).OrderBy(p => p.ReceivedOn, StringComparer.Ordinal).ThenBy(p => p.PaymentId, StringComparer.Ordinal))
        {
            try
            {
                if (payment.Applied == 0 && !known.ContainsKey(payment.PaymentId) && payment.Reversed == 0)
                {
                    Record(ledger, payment, currencies[payment.AccountId]);
                    appliedCount++;
                }

                if (payment.Reversed != 0 && (known.TryGetValue(payment.PaymentId, out var recorded) ? !recorded.IsReversed : payment.Applied != 0))
                {
                    ledger.ReversePayment(payment.PaymentId, today);
                    reversedCount++;
                }

                applied.Add(payment.PaymentId);
                if (payment.Reversed != 0)
                {
                    reversals.Add(payment.PaymentId);
                }
            }
            catch (BillingRuleException e)
            {
                quarantined.Add(new SetAside(payment.PaymentId, $"{payment.ObjectName} {payment.PaymentId}: {e.Message}", payment.ObjectName, JsonSerializer.Serialize(payment)));
                applied.Add(payment.PaymentId); // settled by quarantine: a person decides; retrying would fail the same way
                reversals.Add(payment.PaymentId);
            }
        }

        // The ledger's new payments and the marks that settle them commit together.
        await store.SaveAsync(loaded, today, (connection, transaction, ct) => MarkAsync(connection, transaction, applied, reversals, quarantined, ct), cancellationToken);
        return new BatchOutcome(appliedCount, reversedCount, quarantined);
    }

    private static void Record(ReceivablesLedger ledger, IncomingPaymentRow payment, Currency currency)
    {
        var amount = decimal.Parse(payment.Amount, NumberStyles.Number, CultureInfo.InvariantCulture);
        if (!Amount.TryExact(amount, currency, out var exact))
        {
            throw new BillingRuleException($"the amount {payment.Amount} has more decimals than {currency.Code} has ({currency.MinorDigits}).");
        }

        IReadOnlyList<(string, Amount)>? allocation = null;
        if (payment.InvoiceNumber is { } number && ledger.FindInvoice(number) is { } invoice && invoice.AccountId == payment.AccountId)
        {
            var open = ledger.BalanceOf(invoice, DateOnly.MaxValue).Balance;
            if (open.IsPositive)
            {
                allocation = [(number, Amount.Min(open, exact))];
            }
        }

        ledger.RecordPayment(payment.PaymentId, payment.AccountId, DateOnly.ParseExact(payment.ReceivedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), exact, allocation);
    }

    private async Task MarkAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<string> applied, List<string> reversals,
        List<SetAside> quarantined, CancellationToken cancellationToken)
    {
        var sql = OrderSql.For(database.Provider);
        foreach (var chunk in applied.Chunk(500))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql.MarkIncomingPaymentApplied, new { Ids = chunk }, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        }

        foreach (var chunk in reversals.Chunk(500))
        {
            await connection.ExecuteAsync(new CommandDefinition(sql.MarkIncomingPaymentReversalApplied, new { Ids = chunk }, transaction, database.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        }

        await journal.SetAsideAsync(quarantined, transaction, cancellationToken);
    }
}

/// <summary>What applying the org's payments did.</summary>
internal sealed class PaymentApplication
{
    public int Applied { get; set; }

    public int Reversed { get; set; }

    public List<SetAside> Quarantined { get; } = [];
}

internal sealed class IncomingPaymentRow
{
    public string PaymentId { get; init; } = "";
    public string ObjectName { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Amount { get; init; } = "";
    public string ReceivedOn { get; init; } = "";
    public string? InvoiceNumber { get; init; }
    public int Reversed { get; init; }
    public int Applied { get; init; }
}
