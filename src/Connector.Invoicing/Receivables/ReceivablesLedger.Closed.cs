using Connector.Invoicing.Money;

namespace Connector.Invoicing.Receivables;

/// <summary>
/// The invoices of an account in one currency that a run left closed in the store (see
/// <see cref="ReceivablesLedger.RestoreClosed"/>): the payable of those nothing covers, in minor units by aging bucket
/// on <see cref="On"/> (none is current: each is past due), and <see cref="SettledMinor"/>, the payable of those one
/// payment of exactly that amount paid (billed and paid, nothing open: the payments stay in the store too).
/// </summary>
internal sealed record ClosedInvoices(string AccountId, Currency Currency, DateOnly On, long Days1To30, long Days31To60, long Days61To90, long Over90)
{
    /// <summary>What the closed invoices nothing covers leave to pay: all of it overdue.</summary>
    public long PayableMinor => Days1To30 + Days31To60 + Days61To90 + Over90;

    public long SettledMinor { get; init; }
}

/// <summary>
/// The engine asked for an invoice a run's load left closed in the store (<see cref="ReceivablesLedger.LeaveInStore"/>):
/// the book cannot do what was asked of it, and the run loads it again with that invoice.
/// </summary>
internal sealed class InvoiceInStoreException(string number)
    : InvalidOperationException($"Invoice {number} was left in the store by the run's load; the run loads it and tries again.");

internal sealed partial class ReceivablesLedger
{
    private readonly Dictionary<(string AccountId, Currency Currency), ClosedInvoices> _closed = [];
    private readonly Dictionary<string, List<Currency>> _closedCurrencies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inStore = new(StringComparer.Ordinal);

    /// <summary>
    /// Puts back, as sums, invoices a run's load left in the store: each with a positive payable due whole on one day
    /// before the account's facts were last all told, and touched by nothing loaded (no allocation, dispute, credit note
    /// or billing entry names it). Such an invoice counts in its account's figures as billed and overdue for all of its
    /// payable, in the aging bucket of its due date; one settled by a payment left in the store with it counts as billed
    /// and paid. Its own facts cannot change until something touches it, and then it is loaded. The sums hold for their
    /// day only: figures for another day refuse them.
    /// </summary>
    internal void RestoreClosed(IEnumerable<ClosedInvoices> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        foreach (var sum in sums)
        {
            _closed.Add((sum.AccountId, sum.Currency), sum);
            if (!_closedCurrencies.TryGetValue(sum.AccountId, out var currencies))
            {
                _closedCurrencies[sum.AccountId] = currencies = [];
            }

            currencies.Add(sum.Currency);
        }
    }

    /// <summary>
    /// Names invoices a run's load left closed in the store although a billing entry it read names them (counted in
    /// <see cref="RestoreClosed"/>'s sums): the engine needs one only to credit it, and asking for one throws
    /// <see cref="InvoiceInStoreException"/> instead of <see cref="BillingRuleException"/>.
    /// </summary>
    internal void LeaveInStore(IEnumerable<string> numbers) => _inStore.UnionWith(numbers);

    /// <summary>The account's closed invoices in this currency, by aging bucket, for figures on <paramref name="asOf"/>.</summary>
    private ClosedInvoices? Closed(string accountId, Currency currency, DateOnly asOf) =>
        _closed.GetValueOrDefault((accountId, currency)) is not { } closed ? null
        : closed.On == asOf ? closed
        : throw new InvalidOperationException($"The closed invoices of {accountId} were summed for {closed.On:yyyy-MM-dd}, not {asOf:yyyy-MM-dd}.");

    private IReadOnlyList<Currency> ClosedCurrencies(string accountId) => _closedCurrencies.GetValueOrDefault(accountId) ?? [];

    private long ClosedPayable(Currency currency) => _closed.Values.Where(c => c.Currency == currency).Sum(c => c.PayableMinor);
}
