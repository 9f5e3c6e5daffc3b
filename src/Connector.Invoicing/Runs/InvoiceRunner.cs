using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Runs;

/// <summary>
/// An invoice run: every charge due by the target date and not billed yet, grouped by account and currency into one
/// invoice each, posted with the next number. Each (line, period) is billed once however often runs repeat or overlap.
/// </summary>
public sealed class InvoiceRunner(InvoiceStore store, IOptions<BillingOptions> options)
{
    /// <summary>Bills everything due by <paramref name="targetDate"/>; a <paramref name="dryRun"/> posts nothing.</summary>
    /// <param name="targetDate">The last date whose charges are due.</param>
    /// <param name="dryRun">True: draft only, return what would be posted.</param>
    /// <param name="cancellationToken">Stops between invoices; each posted invoice is committed whole.</param>
    /// <param name="progress">Told (posted, total) after each invoice, for long runs.</param>
    public async Task<InvoiceRunResult> RunAsync(DateOnly targetDate, bool dryRun, CancellationToken cancellationToken, IProgress<(int Posted, int Total)>? progress = null)
    {
        var orders = await store.LoadBillableOrdersAsync(cancellationToken);
        var billed = await store.BilledKeysAsync(orders.SelectMany(o => o.Lines).Select(l => l.LineId), cancellationToken);
        var drafts = Draft(orders, billed, targetDate, options.Value);

        if (dryRun)
        {
            return new InvoiceRunResult(targetDate, true, drafts, 0);
        }

        var posted = new List<Invoice>();
        var skipped = 0;
        foreach (var draft in drafts)
        {
            var next = draft.OrderIds.ToDictionary(
                id => id,
                id => orders.First(o => o.OrderId == id).Lines.Select(l => ChargeSchedule.NextBillingDate(l.Terms(), Schedule(options.Value), targetDate)).Where(d => d is not null).Min(),
                StringComparer.Ordinal);
            var invoice = await store.PostAsync(draft, options.Value.InvoiceSeries, next, cancellationToken);
            if (invoice is null)
            {
                skipped++;
            }
            else
            {
                posted.Add(invoice);
            }

            progress?.Report((posted.Count + skipped, drafts.Count));
        }

        return new InvoiceRunResult(targetDate, false, posted, skipped);
    }

    /// <summary>The invoices a run would post: pure, so a dry run and a forecast use exactly what a real run uses.</summary>
    public static IReadOnlyList<Invoice> Draft(
        IReadOnlyList<BillableOrder> orders,
        ISet<(string LineId, DateOnly Start, DateOnly End)> alreadyBilled,
        DateOnly targetDate,
        BillingOptions options)
    {
        var seller = new Party(options.Seller.Name, options.Seller.TaxId, options.Seller.Street, options.Seller.City, options.Seller.PostalCode, options.Seller.Country);
        var schedule = Schedule(options);
        var drafts = new List<Invoice>();
        foreach (var group in orders.GroupBy(o => (o.Account.AccountId, o.Currency)).OrderBy(g => g.Key.AccountId, StringComparer.Ordinal))
        {
            var currency = group.Key.Currency;
            var lines = new List<InvoiceLine>();
            foreach (var order in group.OrderBy(o => o.OrderNumber, StringComparer.Ordinal))
            {
                foreach (var line in order.Lines)
                {
                    var terms = line.Terms();
                    foreach (var piece in ChargeSchedule.DueBy(terms, schedule, targetDate))
                    {
                        if (alreadyBilled.Contains((line.LineId, piece.Period.Start, piece.Period.End)))
                        {
                            continue;
                        }

                        lines.Add(new InvoiceLine(lines.Count + 1, order.OrderId, line.LineId, Describe(order, line), piece.Period,
                            line.Quantity, piece.Factor, ChargeSchedule.Net(terms, piece.Factor, currency), line.TaxRatePercent,
                            ChargeSchedule.Formula(terms, piece, schedule, currency)) { UnitPrice = terms.UnitPrice });
                    }
                }
            }

            if (lines.Count == 0)
            {
                continue;
            }

            var account = group.First().Account;
            var paymentTermDays = group.Max(o => o.PaymentTermDays);
            drafts.Add(new Invoice
            {
                Number = "",
                AccountId = account.AccountId,
                Seller = seller,
                Buyer = new Party(account.Name, account.TaxId, account.Street, account.City, account.PostalCode, account.Country),
                Currency = currency,
                IssueDate = targetDate,
                DueDate = targetDate.AddDays(paymentTermDays),
                Lines = lines,
                Taxes = TaxCalculator.Taxes(lines, currency, options.TaxRounding),
            });
        }

        return drafts;
    }

    private static ScheduleSettings Schedule(BillingOptions options) => new(options.BillingDayOfMonth, options.Proration);

    private static string Describe(BillableOrder order, BillableLine line) =>
        line.ChargeType == ChargeType.OneTime
            ? $"{line.ProductName} (order {order.OrderNumber})"
            : $"{line.ProductName}, {line.Frequency} (order {order.OrderNumber})";
}
