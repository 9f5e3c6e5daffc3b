using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Storage;

namespace Connector.Worker.Simulation;

/// <summary>
/// Receivables on the stored book: applying payments, reversals, refunds, credit applications, disputes and credit
/// notes (written in the scenario format) through the same engine as <c>simulate</c>, all or nothing; and the
/// receivables report (balances, aging, DSO) per account.
/// </summary>
internal sealed class ReceivablesService(BookStore store)
{
    /// <summary>
    /// Applies the events in file order to the accounts they name and saves the result in one transaction; a refused
    /// event stops everything with its JSON path (<see cref="ScenarioException"/>) and nothing is saved.
    /// </summary>
    public async Task<LedgerChanges> ApplyAsync(string json, DateOnly today, bool dryRun, CancellationToken cancellationToken)
    {
        var steps = ScenarioReader.ReadLedgerEvents(json, await store.AccountCurrenciesAsync(cancellationToken));
        if (steps.FirstOrDefault(s => s.On > today) is { } future)
        {
            // Events record what happened; a document dated ahead would also hold back every later one of its series.
            throw new ScenarioException(future.Path, $"{future.Type} on {future.On:yyyy-MM-dd}: dated after today ({today:yyyy-MM-dd}); record events on or before the day they happen.");
        }

        var accounts = steps.Select(s => s.AccountId!).Distinct(StringComparer.Ordinal).ToList();
        // Another writer may change these accounts meanwhile: the events are then applied again on what it saved.
        return await store.ConflictRetries.ExecuteAsync(async ct =>
        {
            var loaded = await store.LoadAsync(accounts, ct);
            var before = loaded.Book.Ledger.Marks;
            foreach (var step in steps)
            {
                try
                {
                    step.Apply(loaded.Book);
                }
                catch (BillingRuleException e)
                {
                    throw new ScenarioException(step.Path, $"{step.Type} on {step.On:yyyy-MM-dd}: {e.Message}");
                }
            }

            var journal = loaded.Book.Ledger.Journal;
            var changes = new LedgerChanges(
                [.. journal.Payments.Skip(before.Payments)],
                [.. journal.Allocations.Skip(before.Allocations)],
                [.. journal.Refunds.Skip(before.Refunds)],
                [.. journal.Disputes.Skip(before.Disputes)],
                [.. journal.Resolutions.Skip(before.Resolutions)],
                [.. journal.CreditNotes.Skip(before.CreditNotes)],
                [.. journal.Invoices.Skip(before.Invoices)],
                [.. journal.Reversals.Skip(before.Reversals).Select(r => r.Payment)]);
            if (dryRun)
            {
                return changes;
            }

            await store.SaveAsync(loaded, today, ct);
            return changes;
        }, cancellationToken);
    }

    /// <summary>Every account's figures per currency on <paramref name="asOf"/>, with aging and DSO per currency.</summary>
    public async Task<ReceivablesReport> ReportAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var balances = new List<AccountBalance>();
        var dso = new Dictionary<Currency, (Amount Receivable, Amount Billed)>();
        foreach (var batch in (await store.AccountIdsAsync(cancellationToken)).Chunk(Connector.Invoicing.Runs.InvoiceRunner.AccountsPerBatch))
        {
            var ledger = (await store.LoadAsync(batch, cancellationToken)).Book.Ledger;
            balances.AddRange(batch.SelectMany(id => ledger.AccountBalances(id, asOf)));
            foreach (var currency in ledger.Invoices.Select(i => i.Currency).Distinct())
            {
                var (receivable, billed) = ledger.DsoInputs(currency, asOf);
                dso[currency] = dso.TryGetValue(currency, out var sum) ? (sum.Receivable + receivable, sum.Billed + billed) : (receivable, billed);
            }
        }

        return new ReceivablesReport(asOf, balances, dso.OrderBy(d => d.Key.Code, StringComparer.Ordinal)
            .Select(d => new CurrencyReceivables(d.Key, d.Value.Receivable, d.Value.Billed, ReceivablesLedger.Dso(d.Value.Receivable, d.Value.Billed),
                balances.Where(b => b.Currency == d.Key).Aggregate(Aging.Zero(d.Key), (sum, b) => sum.Plus(b.Aging)))).ToList());
    }
}

/// <summary>What applying receivables events added.</summary>
internal sealed record LedgerChanges(
    IReadOnlyList<Payment> Payments,
    IReadOnlyList<Allocation> Allocations,
    IReadOnlyList<Refund> Refunds,
    IReadOnlyList<Dispute> Disputes,
    IReadOnlyList<Dispute> Resolutions,
    IReadOnlyList<CreditNote> CreditNotes,
    IReadOnlyList<Connector.Invoicing.Invoices.Invoice> Invoices,
    IReadOnlyList<string> ReversedPayments);

/// <summary>The receivables of the stored book on one day.</summary>
internal sealed record ReceivablesReport(DateOnly AsOf, IReadOnlyList<AccountBalance> Accounts, IReadOnlyList<CurrencyReceivables> Currencies);

/// <summary>One currency's receivables: what is owed, what was billed in the last 90 days, DSO and aging.</summary>
internal sealed record CurrencyReceivables(Currency Currency, Amount Receivable, Amount BilledLast90Days, decimal? Dso, Aging Aging);
