using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Terms;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Runs;

/// <summary>
/// An invoice run on the stored orders: account batch by account batch, the billing book is loaded, the engine bills
/// what is due by the target date (and issues the credit notes that shortened lines call for), and the book saves what
/// was posted. Each (line, period) is billed once however often runs repeat, overlap or crash; a batch that meets a
/// concurrent writer is loaded again and retried, so numbering stays gapless.
/// </summary>
public sealed class InvoiceRunner(BookStore store, BillingClock clock)
{
    /// <summary>Accounts loaded and saved together; bounds memory and the length of one transaction.</summary>
    public const int AccountsPerBatch = 1_000;

    private const int Attempts = 10; // a conflict means another writer posted; each retry loads what it posted

    /// <summary>Bills everything due by <paramref name="targetDate"/>; documents are dated today in the billing time zone.</summary>
    /// <param name="targetDate">The last date whose charges are due.</param>
    /// <param name="dryRun">True: draft only, post and save nothing.</param>
    /// <param name="cancellationToken">Stops between batches; each saved batch is committed whole.</param>
    /// <param name="progress">Told (accounts done, accounts in all) after each batch, for long runs.</param>
    /// <param name="invoiceBatch">Only orders of this invoice batch (Salesforce Billing's Invoice Batch); null bills all.</param>
    public async Task<InvoiceRunResult> RunAsync(DateOnly targetDate, bool dryRun, CancellationToken cancellationToken, IProgress<(int Done, int Total)>? progress = null, string? invoiceBatch = null)
    {
        var on = clock.Today();
        var accounts = await store.AccountIdsAsync(cancellationToken);
        var invoices = new List<Invoice>();
        var notes = new List<CreditNote>();
        var done = 0;
        foreach (var batch in accounts.Chunk(AccountsPerBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await RunBatchAsync(batch, on, targetDate, dryRun, invoiceBatch, cancellationToken);
            invoices.AddRange(result.Invoices);
            notes.AddRange(result.CreditNotes);
            done += batch.Length;
            progress?.Report((done, accounts.Count));
        }

        return new InvoiceRunResult(targetDate, dryRun, invoices, notes);
    }

    /// <summary>
    /// What a run on <paramref name="targetDate"/> would post for these orders, through the same engine, in memory (for
    /// <c>mappings explain</c> and previews).
    /// </summary>
    public static RunResult Preview(IReadOnlyList<BillableOrder> orders, DateOnly targetDate, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(options);
        var book = new BillingBook(new BookSettings
        {
            Proration = options.Proration,
            TaxRounding = options.TaxRounding,
            InvoiceSeries = new NumberSeries(options.InvoiceSeries),
            CreditNoteSeries = new NumberSeries(options.CreditNoteSeries),
            Seller = new Party(options.Seller.Name, options.Seller.TaxId, options.Seller.Street, options.Seller.City, options.Seller.PostalCode, options.Seller.Country),
        });
        foreach (var account in orders.GroupBy(o => o.Account.AccountId, StringComparer.Ordinal))
        {
            var buyer = account.First().Account;
            book.SetAccount(new BookAccount
            {
                Id = buyer.AccountId, Name = buyer.Name, Street = buyer.Street, City = buyer.City, PostalCode = buyer.PostalCode, Country = buyer.Country,
                TaxId = buyer.TaxId, BillingDayOfMonth = options.BillingDayOfMonth, PaymentTerms = PaymentTerms.Net(account.Max(o => o.PaymentTermDays)),
            });
        }

        foreach (var order in orders.OrderBy(o => o.Account.AccountId, StringComparer.Ordinal).ThenBy(o => o.OrderNumber, StringComparer.Ordinal))
        {
            foreach (var line in order.Lines.OrderBy(l => l.LineId, StringComparer.Ordinal))
            {
                book.AddPricedLine(order.Account.AccountId, order.OrderId, Describe(order.OrderNumber, line), line.Terms(), order.Currency, line.TaxRatePercent);
            }
        }

        return book.Run(targetDate, targetDate, dryRun: true);
    }

    /// <summary>How a stored order line is described on a document.</summary>
    public static string Describe(string orderNumber, BillableLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.ChargeType == ChargeType.OneTime
            ? $"{line.ProductName} (order {orderNumber})"
            : $"{line.ProductName}, {line.Frequency} (order {orderNumber})";
    }

    private async Task<RunResult> RunBatchAsync(IReadOnlyCollection<string> batch, DateOnly on, DateOnly targetDate, bool dryRun, string? invoiceBatch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(batch, cancellationToken);
            var result = loaded.Book.Run(on, targetDate, dryRun, loaded.AccountIds, invoiceBatch);
            if (dryRun)
            {
                return result;
            }

            try
            {
                var ids = await store.SaveAsync(loaded, on, cancellationToken);
                return result with { Invoices = [.. result.Invoices.Select(i => i with { Id = ids[i.Number] })] };
            }
            catch (BookConflictException) when (attempt < Attempts)
            {
                // Another writer posted for these accounts; what it billed is loaded and not billed again. (A save
                // also runs when nothing was posted: invoices turn overdue with time, and their facts must follow.)
            }
        }
    }
}
