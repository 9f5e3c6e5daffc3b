using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Tests.Storage;

[TestFixture]
public sealed class DeferredInvoicesTests
{
    [Test]
    public void Defer_TotalsComeFromTheStoredColumns_AndPartsAreReadOnlyWhenAskedFor_TheExpectedOnesTogether()
    {
        // Arrange
        var (deferred, reads) = Recording(Whole);
        var invoices = new[] { 1L, 2L, 3L }.Select(id => deferred.Defer(Header(id, 10_000 * id, 2_100 * id), [])).ToList();

        // Act
        var total = invoices[0].Total;
        var readBeforeLines = reads.Count;
        deferred.Expect([2L, 3L]);
        var lines = invoices[0].Lines.Count;
        var again = invoices[2].Lines[0].Net;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(total, Is.EqualTo(Amount.FromMinorUnits(12_100, Currency.Eur)), "net and tax as stored");
            Assert.That(readBeforeLines, Is.Zero, "totals read nothing");
            Assert.That(lines, Is.EqualTo(1));
            Assert.That(again, Is.EqualTo(Amount.FromMinorUnits(30_000, Currency.Eur)));
            Assert.That(reads.Select(r => r.Order().ToArray()), Is.EqualTo(new[] { new[] { 1L, 2L, 3L } }), "the expected invoices were read with the first asked for, once");
        }
    }

    [Test]
    public void ReadExpected_ReadsTheExpectedPartsAtOnce_SoLaterAccessReadsNothing()
    {
        // Arrange: a save expects two invoices and reads them before its transaction.
        var (deferred, reads) = Recording(Whole);
        var invoices = new[] { 1L, 2L, 3L }.Select(id => deferred.Defer(Header(id, 10_000 * id, 2_100 * id), [])).ToList();
        deferred.Expect([1L, 3L]);

        // Act
        deferred.ReadExpected();
        var readsBeforeAccess = reads.Count;
        var first = invoices[0].Lines.Single().Net;
        var third = invoices[2].Lines.Single().Net;
        deferred.ReadExpected();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(readsBeforeAccess, Is.EqualTo(1));
            Assert.That((first, third), Is.EqualTo((Amount.FromMinorUnits(10_000, Currency.Eur), Amount.FromMinorUnits(30_000, Currency.Eur))));
            Assert.That(reads.Select(r => r.Order().ToArray()), Is.EqualTo(new[] { new[] { 1L, 3L } }), "one read, before any access; nothing again when nothing is expected");
        }
    }

    [Test]
    public void ExpectOrders_AHeaderThatStoredItsOrder_NamesItWithoutReading_OthersAreReadFromTheirLines()
    {
        // Arrange: invoice 1's header stored its only order; invoice 2's did not (several orders, or posted before the column).
        var (deferred, reads) = Recording(Whole);
        var stored = deferred.Defer(Header(1, 10_000, 2_100, orderId: "801S"), []);
        var unknown = deferred.Defer(Header(2, 20_000, 4_200), []);

        // Act
        deferred.ExpectOrders([1L, 2L]);
        deferred.ReadExpected();
        var readsBeforeAccess = reads.Select(r => r.Order().ToArray()).ToList();
        var orders = (stored.OrderIds, unknown.OrderIds);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(orders.Item1, Is.EqualTo(new[] { "801S" }), "the stored order, not the lines'");
            Assert.That(orders.Item2, Is.EqualTo(new[] { "801" }), "from its lines");
            Assert.That(readsBeforeAccess, Is.EqualTo(new[] { new[] { 2L } }), "only the invoice whose header kept no order is read");
            Assert.That(reads, Has.Count.EqualTo(1), "naming the orders read nothing more");
        }
    }

    [Test]
    public void Defer_AHeaderLoadedWithoutParties_ReadsThemWithItsPartsWhenFirstAskedFor()
    {
        // Arrange: a header as a book loads it, without its seller and buyer.
        var (deferred, reads) = Recording(id => Whole(id) with { Seller = new Party("Seller " + id), Buyer = new Party("Buyer " + id) });
        var invoice = deferred.Defer(Header(2, 20_000, 4_200), []);

        // Act
        var readBefore = reads.Count;
        var parties = (invoice.Seller.Name, invoice.Buyer.Name);
        var lines = invoice.Lines.Count;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(readBefore, Is.Zero, "a load reads no parties");
            Assert.That(parties, Is.EqualTo(("Seller 2", "Buyer 2")), "the stored parties");
            Assert.That(lines, Is.EqualTo(1));
            Assert.That(reads, Has.Count.EqualTo(1), "parties and parts in one read");
        }
    }

    /// <summary>Deferred invoices read whole by <paramref name="whole"/>, and the ids of each read, in order.</summary>
    private static (DeferredInvoices Deferred, List<IReadOnlyList<long>> Reads) Recording(Func<long, Invoice> whole)
    {
        var reads = new List<IReadOnlyList<long>>();
        return (new DeferredInvoices(ids =>
        {
            reads.Add(ids);
            return ids.ToDictionary(id => id, whole);
        }), reads);
    }

    /// <summary>A stored header as a book's load reads it (no parties, no parts).</summary>
    private static InvoiceRow Header(long id, long netMinor, long taxMinor, string? orderId = null) => new()
    {
        Id = id, Number = $"INV-{id:000000}", AccountId = "001A", Currency = "EUR", IssueDate = "2026-03-01", DueDate = "2026-03-31",
        NetMinor = netMinor, TaxMinor = taxMinor, OrderId = orderId,
    };

    private static Invoice Whole(long id)
    {
        var line = new InvoiceLine(1, "801", "802", "Product", new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), 1, 1m,
            Amount.FromMinorUnits(10_000 * id, Currency.Eur), 21m, "test");
        return new Invoice
        {
            Id = id, Number = $"INV-{id:000000}", AccountId = "001A", Seller = new Party("Seller"), Buyer = new Party("Buyer"), Currency = Currency.Eur,
            IssueDate = new DateOnly(2026, 3, 1), DueDate = new DateOnly(2026, 3, 31), Lines = [line],
            Taxes = TaxCalculator.Taxes([line], Currency.Eur, TaxRounding.PerRateOnDocument),
        };
    }
}
