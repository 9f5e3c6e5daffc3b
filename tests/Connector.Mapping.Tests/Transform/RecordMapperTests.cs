using System.Text.Json.Nodes;
using Connector.Invoicing.Schedules;
using Connector.Mapping.Profile;
using Connector.Mapping.Transform;

namespace Connector.Mapping.Tests.Transform;

[TestFixture]
public sealed class RecordMapperTests
{
    private readonly RecordMapper _mapper = new(MappingProfileLoader.LoadDefault());

    [Test]
    public void MapOrderItem_CpqRecurringLine_BecomesABillableLine()
    {
        // Act
        var result = _mapper.MapOrderItem(OrderItem());

        // Assert
        var line = result.Value!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problem, Is.Null);
            Assert.That(line.LineId, Is.EqualTo("802000000000001AAA"));
            Assert.That(line.ProductName, Is.EqualTo("Platform"));
            Assert.That((line.ChargeType, line.Frequency, line.Timing), Is.EqualTo((ChargeType.Recurring, (BillingFrequency?)BillingFrequency.Monthly, BillingTiming.Advance)));
            Assert.That((line.Quantity, line.TotalPrice), Is.EqualTo((10m, 12_000m)));
            Assert.That((line.StartDate, line.EndDate), Is.EqualTo((new DateOnly(2026, 1, 1), (DateOnly?)new DateOnly(2026, 12, 31))));
            Assert.That(line.SubscriptionTermMonths, Is.EqualTo(12m));
        }
    }

    [Test]
    public void MapOrderItem_NoTotalPrice_UsesUnitPriceTimesQuantity()
    {
        var record = OrderItem();
        record.Remove("TotalPrice");

        Assert.That(_mapper.MapOrderItem(record).Value!.TotalPrice, Is.EqualTo(12_000m));
    }

    [Test]
    public void MapOrderItem_MissingUnitPrice_FailsNamingFieldAndRule()
    {
        var record = OrderItem();
        record["UnitPrice"] = null;

        var result = _mapper.MapOrderItem(record);

        Assert.That(result.Problem, Is.EqualTo("UnitPrice is empty (rule: unitPrice is required)"));
    }

    [Test]
    public void MapOrderItem_UnknownPicklistValue_FailsNamingValueAndKnownValues()
    {
        var record = OrderItem();
        record["SBQQ__BillingFrequency__c"] = "Weekly";

        var result = _mapper.MapOrderItem(record);

        Assert.That(result.Problem, Is.EqualTo("SBQQ__BillingFrequency__c = 'Weekly' is not in valueMaps.billingFrequency (known: Monthly, Quarterly, Semiannual, Annual)"));
    }

    [Test]
    public void MapOrderItem_DateInWrongFormat_FailsNamingTheFormat()
    {
        var record = OrderItem();
        record["ServiceDate"] = "01/02/2026";

        Assert.That(_mapper.MapOrderItem(record).Problem, Is.EqualTo("ServiceDate = '01/02/2026' is not a date in yyyy-MM-dd (rule: startDate)"));
    }

    [Test]
    public void MapOrderItem_CountryInTaxTable_GetsThatRate()
    {
        var profile = MappingProfileLoader.LoadDefault();
        profile.TaxRates.ByCountry["ES"] = 21m;
        var mapper = new RecordMapper(profile);

        var line = mapper.MapOrderItem(OrderItem()).Value!;

        Assert.That(line.TaxRatePercent, Is.EqualTo(21m));
    }

    [Test]
    public void MapOrder_ActivatedOrder_MapsHeaderAccountAndPaymentTerm()
    {
        var record = JsonNode.Parse("""
            {"Id":"801000000000001AAA","OrderNumber":"00000101","AccountId":"001000000000001AAA","SBQQ__PaymentTerm__c":"Net 15",
             "Account":{"Name":"Acme SL","BillingStreet":"Gran Vía 1","BillingCity":"Madrid","BillingPostalCode":"28013","BillingCountry":"ES"}}
            """)!.AsObject();

        var order = _mapper.MapOrder(record).Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(order.Header.OrderNumber, Is.EqualTo("00000101"));
            Assert.That(order.Header.Currency, Is.EqualTo("EUR"));
            Assert.That(order.Header.PaymentTermDays, Is.EqualTo(15));
            Assert.That(order.Account, Is.EqualTo(new Connector.Invoicing.Orders.BillingAccount("001000000000001AAA", "Acme SL", "Gran Vía 1", "Madrid", "28013", "ES")));
        }
    }

    [Test]
    public void QueryFor_OrderItem_SelectsIdModstampAndEveryMappedPathWithTheFilter()
    {
        var query = _mapper.QueryFor(SourceNames.OrderItem);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(query.ObjectName, Is.EqualTo("OrderItem"));
            Assert.That(query.Fields.Take(2), Is.EqualTo(new[] { "Id", "SystemModstamp" }));
            Assert.That(query.Fields, Does.Contain("Product2.Name").And.Contain("Order.Account.BillingCountry"));
            Assert.That(query.Where, Is.EqualTo("Order.Status = 'Activated'"));
        }
    }

    private static JsonObject OrderItem() => JsonNode.Parse("""
        {"Id":"802000000000001AAA","OrderId":"801000000000001AAA","Quantity":10,"UnitPrice":1200,"TotalPrice":12000,
         "ServiceDate":"2026-01-01","EndDate":"2026-12-31","SBQQ__ChargeType__c":"Recurring","SBQQ__BillingFrequency__c":"Monthly",
         "SBQQ__BillingType__c":"Advance","SBQQ__SubscriptionTerm__c":12,"SBQQ__ProrateMultiplier__c":1,
         "Product2":{"Name":"Platform"},"Order":{"Account":{"BillingCountry":"ES"}}}
        """)!.AsObject();
}
