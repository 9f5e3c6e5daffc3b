using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.Receivables;

/// <summary>
/// The ledger's invoices and payments by account, so that what one account's payment or figures ask (its oldest open
/// invoices, its payments with credit left) costs that account's documents, not a walk of every account's in the book.
/// </summary>
internal sealed partial class ReceivablesLedger
{
    private readonly Dictionary<string, List<Invoice>> _invoicesByAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _paymentIdsByAccount = new(StringComparer.Ordinal);

    /// <summary>The account's invoices, in the order they were added.</summary>
    private IReadOnlyList<Invoice> InvoicesOf(string accountId) => _invoicesByAccount.GetValueOrDefault(accountId) ?? [];

    /// <summary>The account's payments as they stand now (a reversal replaces one), in the order they were added.</summary>
    private IEnumerable<Payment> PaymentsOf(string accountId) => (_paymentIdsByAccount.GetValueOrDefault(accountId) ?? []).Select(id => _payments[id]);

    private void IndexByAccount(Invoice invoice) => Add(_invoicesByAccount, invoice.AccountId, invoice);

    private void IndexByAccount(Payment payment) => Add(_paymentIdsByAccount, payment.AccountId, payment.Id);

    private static void Add<T>(Dictionary<string, List<T>> index, string accountId, T item)
    {
        if (!index.TryGetValue(accountId, out var items))
        {
            index[accountId] = items = [];
        }

        items.Add(item);
    }
}
