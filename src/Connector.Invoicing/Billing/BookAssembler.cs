using Connector.Invoicing.Documents.Languages;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Billing;

/// <summary>
/// Puts orders into a billing book the one way every path does it: invoice runs (from the store), dry runs, and
/// <c>mappings explain</c>'s preview. Accounts get their billing day (the account's, else the configured one) and
/// payment terms (an order's installment plan, else the longest Net N); lines join with their amendments (a revising
/// line after the line it revises), holds, next billing dates, invoice batch, exemption and withholding. A line the
/// engine cannot take is left out and reported, so one line never stops the book.
/// </summary>
internal static class BookAssembler
{
    /// <param name="book">The book to fill.</param>
    /// <param name="orders">The orders, with their account and lines.</param>
    /// <param name="defaultBillingDay">The configured billing day, for accounts without their own.</param>
    /// <param name="faults">Receives the lines the engine could not take (held lines are left out silently: they are held already).</param>
    public static void Fill(BillingBook book, IEnumerable<BillableOrder> orders, int defaultBillingDay, List<HeldLine> faults)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(faults);
        var all = orders.ToList();
        foreach (var account in all.GroupBy(o => o.Account.AccountId, StringComparer.Ordinal))
        {
            var buyer = account.First().Account;
            book.SetAccount(new BookAccount
            {
                Id = buyer.AccountId, Name = buyer.Name, Street = buyer.Street, City = buyer.City, PostalCode = buyer.PostalCode,
                Country = buyer.Country, TaxId = buyer.TaxId, Language = buyer.Language,
                EndpointId = buyer.EndpointId, EndpointScheme = buyer.EndpointScheme, BuyerReference = buyer.BuyerReference, BillingDayOfMonth = buyer.BillingDayOfMonth ?? defaultBillingDay,
                // An installment plan mapped from an order's payment term wins; otherwise the longest Net N of the orders.
                PaymentTerms = account.Select(o => PaymentTerms.TryParse(o.PaymentTerms)).FirstOrDefault(t => t is not null)
                    ?? PaymentTerms.Net(account.Max(o => o.PaymentTermDays)),
            });
        }

        var lines = all.SelectMany(o => o.Lines.Select(l => (Order: o, Line: l))).ToList();
        foreach (var (order, line) in RevisedFirst(lines))
        {
            try
            {
                var terms = line.Terms();
                var language = DocumentLanguage.Get(DocumentLanguage.Choose(order.Account.Language, order.Account.Country, book.Settings.DocumentLanguage));
                var description = InvoiceRunner.Describe(order.OrderNumber, line, language);
                var revises = line.RevisesLineId is { } revised && book.HasLine(revised) ? revised : null;
                book.AddPricedLine(order.Account.AccountId, order.OrderId, description, terms, order.Currency, line.TaxRatePercent, line.TaxExemptReason,
                    line.WithholdingPercent, batch: order.InvoiceBatch, revises: revises, consumption: line.Consumption, legalEntity: order.LegalEntity);
                if (line.HoldBilling)
                {
                    book.Hold(line.LineId, DateOnly.MinValue, null);
                }

                if (line.NextBillingDate is { } date)
                {
                    book.SetNextBillingDate(line.LineId, date);
                }
            }
            catch (Exception ex) when (InvoiceRunner.IsEngineFault(ex))
            {
                if (!line.HoldBilling)
                {
                    faults.Add(new HeldLine(line.LineId, order.Account.AccountId, ex.Message));
                }
            }
        }
    }

    /// <summary>Lines in order, except that a line revising another comes after it (amendment chains included).</summary>
    private static IEnumerable<(BillableOrder Order, BillableLine Line)> RevisedFirst(IReadOnlyList<(BillableOrder Order, BillableLine Line)> lines)
    {
        var present = lines.Select(l => l.Line.LineId).ToHashSet(StringComparer.Ordinal);
        var added = new HashSet<string>(StringComparer.Ordinal);
        var pending = lines.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.Where(l => l.Line.RevisesLineId is not { } revised || !present.Contains(revised) || added.Contains(revised)).ToList();
            if (ready.Count == 0)
            {
                ready = pending; // a cycle of revisions (bad data): add them as they come
            }

            foreach (var line in ready)
            {
                added.Add(line.Line.LineId);
                yield return line;
            }

            pending = [.. pending.Except(ready)];
        }
    }
}
