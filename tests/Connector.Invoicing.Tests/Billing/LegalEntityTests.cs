using Connector.Invoicing.Billing;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.LegalEntities;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Tests.Billing;

/// <summary>Several sellers: each order is billed by the entity it names, in that entity's own gapless series.</summary>
[TestFixture]
public sealed class LegalEntityTests
{
    private static readonly DateOnly Jan1 = new(2024, 1, 1);

    private static readonly BookSettings TwoEntities = new()
    {
        LegalEntities =
        [
            new LegalEntity("ES", new Party("Ejemplo Software SL", "ESB12345678", Country: "ES"), new NumberSeries("ES-F"), new NumberSeries("ES-R")),
            new LegalEntity("DK", new Party("Eksempel ApS", "DK12345678", Country: "DK"), new NumberSeries("DK-F"), new NumberSeries("DK-K")),
        ],
    };

    [Test]
    public void Run_OrdersOfTwoEntities_OneDocumentPerEntityEachFromItsSellerInItsSeries()
    {
        var book = new BillingBook(TwoEntities);
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.AddOrder("A1", "O1", [OneTime("L1", 100m)]);
        book.AddOrder("A1", "O2", [OneTime("L2", 200m)], legalEntity: "dk");
        book.AddOrder("A1", "O3", [OneTime("L3", 300m)], legalEntity: "DK");

        var run = book.Run(Jan1, Jan1);

        Assert.That(run.Invoices.Select(i => (i.Number, i.Seller.Name, i.Net.ToPlainString())), Is.EqualTo(new[]
        {
            ("DK-F-000001", "Eksempel ApS", "500.00"),
            ("ES-F-000001", "Ejemplo Software SL", "100.00"),
        }), "an order naming no entity is billed by the first; keys match in any case; entities never share a document");
    }

    [Test]
    public void IssueCreditNote_InvoiceOfTheSecondEntity_IsNumberedInThatEntitysCreditNoteSeries()
    {
        var book = new BillingBook(TwoEntities);
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });
        book.AddOrder("A1", "O1", [OneTime("L1", 100m)]);
        book.AddOrder("A1", "O2", [OneTime("L2", 200m)], legalEntity: "DK");
        book.Run(Jan1, Jan1);

        var (note, rebill) = book.IssueCreditNote(Jan1.AddDays(5), "DK-F-000001", "Order cancelled", null, rebill: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(note.Number, Is.EqualTo("DK-K-000001"));
            Assert.That(rebill?.Number, Is.EqualTo("DK-F-000002"), "the replacement comes from the same entity");
            Assert.That(rebill?.Seller.Name, Is.EqualTo("Eksempel ApS"));
        }
    }

    [Test]
    public void AddOrder_EntityNotConfigured_RefusedNamingTheEntitiesThatAre()
    {
        var book = new BillingBook(TwoEntities);
        book.SetAccount(new BookAccount { Id = "A1", Name = "Acme" });

        var error = Assert.Throws<BillingRuleException>(() => book.AddOrder("A1", "O1", [OneTime("L1", 100m)], legalEntity: "FR"));

        Assert.That(error.Message, Does.Contain("legal entity 'FR' is not configured").And.Contain("ES, DK"));
    }

    [TestCase("ES-F-000001", "ES")]
    [TestCase("DK-K-000042", "DK")]
    [TestCase("INV-000001", "ES", Description = "a number of no entity's series (a series since renamed) belongs to the first")]
    public void EntityOf_DocumentNumber_IsTheEntityWhoseSeriesIssuedIt(string number, string expected)
    {
        Assert.That(TwoEntities.EntityOf(number).Key, Is.EqualTo(expected));
    }

    [Test]
    public void EntityOf_YearlySeries_MatchesAnyYear()
    {
        var settings = new BookSettings { LegalEntities = [new LegalEntity("A", new Party("A"), new NumberSeries("A-{yyyy}"), new NumberSeries("AC-{yyyy}")), new LegalEntity("B", new Party("B"), new NumberSeries("B-{yyyy}"), new NumberSeries("BC-{yyyy}"))] };

        Assert.That(settings.EntityOf("B-2027-000003").Key, Is.EqualTo("B"));
    }

    private static NewLine OneTime(string id, decimal price) =>
        new() { Id = id, Product = id, ChargeType = ChargeType.OneTime, UnitPrice = price, Quantity = 1m, Start = Jan1 };
}
