using Connector.Invoicing.Money;

namespace Connector.Invoicing.Receivables;

/// <summary>The sum of an account's invoices in one currency that a run left closed in the store (see <see cref="ReceivablesLedger.RestoreClosed"/>).</summary>
internal sealed record ClosedInvoices(string AccountId, Currency Currency, long PayableMinor);

internal sealed partial class ReceivablesLedger
{
    private readonly Dictionary<(string AccountId, Currency Currency), long> _closed = [];

    /// <summary>
    /// Puts back, as sums, invoices a run's load left in the store: each with a positive payable due whole on one day
    /// more than 90 days before the figures' day and before the account's facts were last all told, and touched by
    /// nothing loaded (no allocation, dispute, credit note or billing entry names it). Such an invoice counts in its
    /// account's figures as billed, overdue and over 90 days past due, for all of its payable, on every later day; its
    /// own facts cannot change until something touches it, and then it is loaded.
    /// </summary>
    internal void RestoreClosed(IEnumerable<ClosedInvoices> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        foreach (var sum in sums)
        {
            _closed[(sum.AccountId, sum.Currency)] = _closed.GetValueOrDefault((sum.AccountId, sum.Currency)) + sum.PayableMinor;
        }
    }

    /// <summary>The payable, in minor units, of the account's invoices left closed in this currency.</summary>
    private long ClosedPayable(string accountId, Currency currency) => _closed.GetValueOrDefault((accountId, currency));

    private IEnumerable<Currency> ClosedCurrencies(string accountId) => _closed.Keys.Where(k => k.AccountId == accountId).Select(k => k.Currency);

    private long ClosedPayable(Currency currency) => _closed.Where(c => c.Key.Currency == currency).Sum(c => c.Value);
}
