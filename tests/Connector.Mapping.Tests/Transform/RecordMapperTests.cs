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

    [TestCase("SBQQ__SubscriptionTerm__c", "0", "SBQQ__SubscriptionTerm__c = 0 is out of range (rule: subscriptionTerm is more than 0 up to 1200)")]
    [TestCase("SBQQ__SubscriptionTerm__c", "-12", "SBQQ__SubscriptionTerm__c = -12 is out of range (rule: subscriptionTerm is more than 0 up to 1200)")]
    [TestCase("TotalPrice", "7.9e28", "TotalPrice = 79000000000000000000000000000 is out of range (rule: totalPrice is from -999999999999.99 to 999999999999.99)")]
    [TestCase("TotalPrice", "1e40", "TotalPrice = 1e40 is beyond any supported number (rule: totalPrice is from -999999999999.99 to 999999999999.99)")]
    [TestCase("Quantity", "1e18", "Quantity = 1000000000000000000 is out of range (rule: quantity is from -1000000000 to 1000000000)")]
    [TestCase("UnitPrice", "-1e13", "UnitPrice = -10000000000000 is out of range (rule: unitPrice is from -999999999999.99 to 999999999999.99)")]
    [TestCase("ServiceDate", "\"0001-01-01\"", "ServiceDate = '0001-01-01' is out of range (rule: startDate is a date from 1900-01-01 to 2199-12-31)")]
    [TestCase("EndDate", "\"9999-12-31\"", "EndDate = '9999-12-31' is out of range (rule: endDate is a date from 1900-01-01 to 2199-12-31)")]
    public void MapOrderItem_ValueOutsideWhatBillingSupports_FailsNamingFieldValueAndRange(string field, string json, string expected)
    {
        var record = OrderItem();
        record[field] = JsonNode.Parse(json);

        var result = _mapper.MapOrderItem(record);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Value, Is.Null);
            Assert.That(result.Problem, Is.EqualTo(expected));
        }
    }

    [Test]
    public void MapOrderItem_HundredThousandCharacterNameWithControls_BoundedTo255AndCutVisibly()
    {
        var record = OrderItem();
        record["Product2"]!["Name"] = "Plat\u0000form\u001b " + new string('x', 100_000);

        var line = _mapper.MapOrderItem(record).Value!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.ProductName, Has.Length.EqualTo(255));
            Assert.That(line.ProductName, Does.StartWith("Plat form  xxx").And.EndWith("x…"));
        }
    }

    [Test]
    public void MapOrderItem_WithholdingAndExemptionMapped_CarriedOnTheLine()
    {
        var yaml = MappingProfileLoader.ShippedProfile("cpq-default.yaml").Replace(
            "      productName: Product2.Name\n",
            "      productName: Product2.Name\n      withholdingPercent: { constant: \"15\" }\n      taxExemptReason: Product2.Exemption__c\n",
            StringComparison.Ordinal);
        var mapper = new RecordMapper(MappingProfileLoader.Parse(yaml, "m.yaml"));
        var record = OrderItem();
        record["Product2"]!["Exemption__c"] = "Exenta art. 20 LIVA";

        var line = mapper.MapOrderItem(record).Value!;

        Assert.That((line.WithholdingPercent, line.TaxExemptReason), Is.EqualTo((15m, "Exenta art. 20 LIVA")));
    }

    [TestCase("not-an-id")]
    [TestCase("801000000000001AAA801000000000001AAA")]
    public void MapOrderItem_OrderIdThatIsNoSalesforceId_FailsNamingFieldAndRule(string id)
    {
        var record = OrderItem();
        record["OrderId"] = id;

        Assert.That(_mapper.MapOrderItem(record).Problem, Does.StartWith($"OrderId = '").And.EndWith("is not a Salesforce record id (rule: orderId is 15 or 18 letters and digits)"));
    }

    [Test]
    public void MapOrderItem_UnitPriceTimesQuantityBeyondTheLargestTotal_FailsNamingBoth()
    {
        var record = OrderItem();
        record.Remove("TotalPrice");
        record["UnitPrice"] = 900_000_000_000m;
        record["Quantity"] = 1_000m;

        var result = _mapper.MapOrderItem(record);

        Assert.That(result.Problem, Does.StartWith("UnitPrice × Quantity = 900000000000000").And.EndWith("is out of range (rule: a line's total price is from -999999999999.99 to 999999999999.99)"));
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
    public void MapOrderItem_NoServiceDate_CoalescesToTheOrdersEffectiveDate()
    {
        var record = OrderItem();
        record["ServiceDate"] = null;
        record["Order"]!["EffectiveDate"] = "2026-02-01";

        Assert.That(_mapper.MapOrderItem(record).Value!.StartDate, Is.EqualTo(new DateOnly(2026, 2, 1)));
    }

    [Test]
    public void MapOrderItem_NoStartDateAnywhere_NamesEveryPathItTried()
    {
        var record = OrderItem();
        record["ServiceDate"] = null;

        Assert.That(_mapper.MapOrderItem(record).Problem, Is.EqualTo("ServiceDate and Order.EffectiveDate are empty (rule: startDate is required)"));
    }

    [Test]
    public void MapOrderItem_ConstantDefaultAndFormats_AreApplied()
    {
        var yaml = MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName)
            .Replace("endDate: EndDate", "endDate: { field: EndDate, format: dd/MM/yyyy }", StringComparison.Ordinal)
            .Replace("quantity: Quantity", "quantity: { field: Quantity, format: decimalComma }", StringComparison.Ordinal)
            .Replace("      accountCountry: Order.Account.BillingCountry", "      accountCountry: Order.Account.BillingCountry\n      taxRatePercent: { constant: \"7.5\" }", StringComparison.Ordinal);
        var mapper = new RecordMapper(MappingProfileLoader.Parse(yaml, "m.yaml"));
        var record = OrderItem();
        record["EndDate"] = "31/12/2026";
        record["Quantity"] = "1.234,5";
        record["SBQQ__BillingType__c"] = null;
        record["TotalPrice"] = null;

        var line = mapper.MapOrderItem(record);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.Problem, Is.Null);
            Assert.That(line.Value!.EndDate, Is.EqualTo(new DateOnly(2026, 12, 31)));
            Assert.That(line.Value.Quantity, Is.EqualTo(1234.5m));
            Assert.That(line.Value.TaxRatePercent, Is.EqualTo(7.5m));
            Assert.That(line.Value.Timing, Is.EqualTo(BillingTiming.Advance), "billingType's default");
        }
    }

    [Test]
    public void MapOrderItem_CountryInTaxTable_GetsThatRate()
    {
        var yaml = WithTaxRates("taxRates:\n  - { country: ES, rate: 21 }\n  - { country: ES, productFamily: Books, rate: 4 }");
        var mapper = new RecordMapper(MappingProfileLoader.Parse(yaml, "m.yaml"));
        var book = OrderItem();
        book["Product2"]!["Family"] = "Books";
        var elsewhere = OrderItem();
        elsewhere["Order"]!["Account"]!["BillingCountry"] = "FR";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mapper.MapOrderItem(OrderItem()).Value!.TaxRatePercent, Is.EqualTo(21m));
            Assert.That(mapper.MapOrderItem(book).Value!.TaxRatePercent, Is.EqualTo(4m), "the product family rule is more specific");
            Assert.That(mapper.MapOrderItem(elsewhere).Value!.TaxRatePercent, Is.EqualTo(0m), "no rule: the default");
        }
    }

    [TestCase("DE", "DE123456789", 0, "VATEX-EU-AE", TestName = "MapOrderItem_EuBusiness_ReverseCharged")]
    [TestCase("DE", null, 21, null, TestName = "MapOrderItem_EuConsumer_SpanishVat")]
    [TestCase("AE", "100123456700003", 0, "VATEX-EU-O", TestName = "MapOrderItem_BusinessOutsideTheEu_NotSubject")]
    [TestCase("US", null, 21, null, TestName = "MapOrderItem_ConsumerOutsideTheEu_TheAnyCountryRule")]
    [TestCase("ES", "B12345674", 21, null, TestName = "MapOrderItem_DomesticBusiness_SpanishVat")]
    public void MapOrderItem_ShippedSpanishSellerRules_TaxAsTheLawSays(string country, string? vatNumber, decimal rate, string? reason)
    {
        var mapper = new RecordMapper(MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName), "m.yaml"));
        var item = OrderItem();
        item["Order"]!["Account"]!["BillingCountry"] = country;
        item["Order"]!["Account"]!["Connector_VAT_Number__c"] = vatNumber;

        var line = mapper.MapOrderItem(item).Value!;

        Assert.That((line.TaxRatePercent, line.TaxExemptReason), Is.EqualTo((rate, reason)));
    }

    [Test]
    public void MapOrderItem_RateMappedOnTheRecord_BeatsTheRulesAndTheirReason()
    {
        var yaml = MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName)
            .Replace("      endDate: EndDate\n      chargeType", "      endDate: EndDate\n      taxRatePercent: Tax_Rate__c\n      chargeType", StringComparison.Ordinal);
        var mapper = new RecordMapper(MappingProfileLoader.Parse(yaml, "m.yaml"));
        var item = OrderItem();
        item["Order"]!["Account"]!["BillingCountry"] = "DE";
        item["Order"]!["Account"]!["Connector_VAT_Number__c"] = "DE123456789";
        item["Tax_Rate__c"] = 19m;

        var line = mapper.MapOrderItem(item).Value!;

        Assert.That((line.TaxRatePercent, line.TaxExemptReason), Is.EqualTo((19m, (string?)null)));
    }

    private static string WithTaxRates(string rules)
    {
        var yaml = MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName);
        var start = yaml.IndexOf("taxRates:", StringComparison.Ordinal);
        var end = yaml.IndexOf("\nwriteBack:", start, StringComparison.Ordinal);
        return yaml[..start] + rules + "\n" + yaml[end..];
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
        var query = _mapper.QueryFor(Catalog.OrderItem);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(query.ObjectName, Is.EqualTo("OrderItem"));
            Assert.That(query.Fields.Take(2), Is.EqualTo(new[] { "Id", "SystemModstamp" }));
            Assert.That(query.Fields, Does.Contain("Product2.Name").And.Contain("Order.Account.BillingCountry"));
            Assert.That(query.Where, Is.EqualTo("Order.Status = 'Activated'"));
        }
    }

    [Test]
    public void MapOrderItem_CpqAmendmentProduct_CarriesTheLineItRevises()
    {
        var record = OrderItem();
        record["SBQQ__RevisedOrderProduct__c"] = "802000000000000AAA";

        Assert.That(_mapper.MapOrderItem(record).Value!.RevisesLineId, Is.EqualTo("802000000000000AAA"));
    }

    [Test]
    public void MapOrderItem_SalesforceBillingProfile_ReadsHoldBillingAndNextBillingDate()
    {
        var mapper = new RecordMapper(MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile("salesforce-billing.yaml"), "sample"));
        var held = OrderItem();
        held["blng__HoldBilling__c"] = "Yes";
        held["blng__NextBillingDate__c"] = "2026-05-01";
        var released = OrderItem();
        released["blng__HoldBilling__c"] = null;

        var (heldLine, releasedLine) = (mapper.MapOrderItem(held).Value!, mapper.MapOrderItem(released).Value!);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((heldLine.HoldBilling, heldLine.NextBillingDate), Is.EqualTo((true, (DateOnly?)new DateOnly(2026, 5, 1))));
            Assert.That((releasedLine.HoldBilling, releasedLine.NextBillingDate), Is.EqualTo((false, (DateOnly?)null)), "the profile's default is No");
        }
    }

    [TestCase("15", 15, null)]
    [TestCase("31", 31, null)]
    [TestCase("32", null, "Account.blng__BillingDayOfMonth__c = 32 is not a billing day (rule: billingDayOfMonth is a whole number from 1 to 31)")]
    [TestCase("1.5", null, "Account.blng__BillingDayOfMonth__c = 1.5 is not a billing day (rule: billingDayOfMonth is a whole number from 1 to 31)")]
    public void MapOrder_BillingDayOfMonth_IsAWholeDayFromOneTo31(string value, int? expected, string? problem)
    {
        var mapper = new RecordMapper(MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile("salesforce-billing.yaml"), "sample"));
        var order = JsonNode.Parse("""
            {"Id":"801000000000001AAA","OrderNumber":"00000100","AccountId":"001000000000001AAA","CurrencyIsoCode":"EUR",
             "Account":{"Name":"Acme","BillingCountry":"ES"}}
            """)!.AsObject();
        order["Account"]!["blng__BillingDayOfMonth__c"] = value;

        var result = mapper.MapOrder(order);

        Assert.That((result.Value?.Account.BillingDayOfMonth, result.Problem), Is.EqualTo((expected, problem)));
    }

    [TestCase("Posted", "120.50", false, null)]
    [TestCase("Canceled", "120.50", true, null)]
    [TestCase("Posted", "-5", false, "blng__Amount__c = -5 is not a payment (rule: amount is positive; a returned payment is a reversal)")]
    public void MapPayment_SalesforceBillingPayment_BecomesAnIncomingPayment(string status, string amount, bool reversed, string? problem)
    {
        var mapper = new RecordMapper(MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile("salesforce-billing.yaml"), "sample"));
        var record = JsonNode.Parse($$"""
            {"Id":"a1P000000000001AAA","blng__Account__c":"001000000000001AAA","blng__Amount__c":{{amount}},"blng__PaymentDate__c":"2026-03-20","blng__Status__c":"{{status}}"}
            """)!.AsObject();

        var result = mapper.MapPayment(record);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problem, Is.EqualTo(problem));
            if (problem is null)
            {
                Assert.That(result.Value, Is.EqualTo(new Connector.Invoicing.Receivables.IncomingPayment("a1P000000000001AAA", "001000000000001AAA", 120.50m, new DateOnly(2026, 3, 20), null, reversed)));
            }
        }
    }

    [TestCase("ESB12345674", "9920", "COMPRAS-2026", null)]
    [TestCase(null, null, null, null)]
    [TestCase("ESB12345674", null, null, "the electronic address needs both accountEndpointId and accountEndpointScheme; only the id is given (rule: accountEndpointScheme)")]
    [TestCase(null, "9920", null, "the electronic address needs both accountEndpointId and accountEndpointScheme; only the scheme is given (rule: accountEndpointScheme)")]
    [TestCase("ESB12345674", "ES:VAT", null, "accountEndpointScheme 'ES:VAT' is not a 4-digit ISO 6523 / Peppol EAS code, e.g. 9920 (Spanish VAT), 0088 (GLN), 0184 (Danish CVR) (rule: accountEndpointScheme)")]
    public void MapOrder_BuyersElectronicAddress_NeedsAnIdAndAFourDigitScheme(string? id, string? scheme, string? reference, string? problem)
    {
        var mapper = new RecordMapper(MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName), "m.yaml"));
        var order = JsonNode.Parse("""
            {"Id":"801000000000001AAA","OrderNumber":"00000100","AccountId":"001000000000001AAA","Account":{"Name":"Acme","BillingCountry":"ES"}}
            """)!.AsObject();
        order["Account"]!["Connector_Peppol_Id__c"] = id;
        order["Account"]!["Connector_Peppol_Scheme__c"] = scheme;
        order["Account"]!["Connector_Buyer_Reference__c"] = reference;

        var result = mapper.MapOrder(order);

        Assert.That((result.Value?.Account.EndpointId, result.Value?.Account.EndpointScheme, result.Value?.Account.BuyerReference, result.Problem),
            Is.EqualTo(problem is null ? (id, scheme, reference, (string?)null) : ((string?)null, (string?)null, (string?)null, problem)));
    }

    [Test]
    public void MapOrder_PaymentTermMappedToAnInstallmentPlan_CarriesThePlanAndItsLastDueDay()
    {
        var yaml = MappingProfileLoader.ShippedProfile("cpq-default.yaml").Replace("    Net 30: \"30\"", "    Net 30: \"30\"\n    Split 30/70: \"30%/15d, 70%/45d\"", StringComparison.Ordinal);
        var mapper = new RecordMapper(MappingProfileLoader.Parse(yaml, "m.yaml"));
        var order = JsonNode.Parse("""
            {"Id":"801000000000001AAA","OrderNumber":"00000100","AccountId":"001000000000001AAA","SBQQ__PaymentTerm__c":"Split 30/70",
             "Account":{"Name":"Acme","BillingCountry":"ES"}}
            """)!.AsObject();

        var header = mapper.MapOrder(order).Value!.Header;

        Assert.That((header.PaymentTerms, header.PaymentTermDays), Is.EqualTo(("Installments(30%/15d, 70%/45d)", 45)));
    }

    private static JsonObject OrderItem() => JsonNode.Parse("""
        {"Id":"802000000000001AAA","OrderId":"801000000000001AAA","Quantity":10,"UnitPrice":1200,"TotalPrice":12000,
         "ServiceDate":"2026-01-01","EndDate":"2026-12-31","SBQQ__ChargeType__c":"Recurring","SBQQ__BillingFrequency__c":"Monthly",
         "SBQQ__BillingType__c":"Advance","SBQQ__SubscriptionTerm__c":12,"SBQQ__ProrateMultiplier__c":1,
         "Product2":{"Name":"Platform","Family":"Software"},"Order":{"EffectiveDate":null,"Account":{"BillingCountry":"ES"}}}
        """)!.AsObject();
}
