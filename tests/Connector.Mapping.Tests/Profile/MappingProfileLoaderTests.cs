using Connector.Mapping.Profile;

namespace Connector.Mapping.Tests.Profile;

[TestFixture]
public sealed class MappingProfileLoaderTests
{
    private static readonly string Default = MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName).ReplaceLineEndings("\n");

    [Test]
    public void LoadDefault_ShippedProfile_IsValidAndReadsCpqFieldsOnly()
    {
        // Act
        var profile = MappingProfileLoader.LoadDefault();

        // Assert
        var paths = profile.Sources.Values.SelectMany(s => s.Fields.Values).SelectMany(f => f.Paths).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Order.Object, Is.EqualTo("Order"));
            Assert.That(profile.Order.Where, Is.EqualTo("Status = 'Activated'"));
            Assert.That(profile.OrderItem.Fields["billingFrequency"].Paths, Is.EqualTo(new[] { "SBQQ__BillingFrequency__c" }));
            Assert.That(profile.OrderItem.Fields["startDate"].Paths, Is.EqualTo(new[] { "ServiceDate", "Order.EffectiveDate" }));
            Assert.That(paths, Has.None.Contain("blng__"), "the default profile is for orgs without Salesforce Billing");
            Assert.That(profile.InvoiceTarget.ExternalIdField, Is.EqualTo("Connector_Invoice_Key__c"));
            Assert.That(profile.InvoiceTarget.Fields["Connector_Issue_Date__c"].Mode, Is.EqualTo(WriteMode.Once));
            Assert.That(profile.InvoiceTarget.Fields["Connector_Balance__c"].Mode, Is.EqualTo(WriteMode.Always));
        }
    }

    [Test]
    public void ShippedSubscriptionsSample_IsValidAndBillsFromSubscriptions()
    {
        var yaml = MappingProfileLoader.ShippedProfile("cpq-subscriptions.yaml");

        var profile = MappingProfileLoader.Parse(yaml, "cpq-subscriptions.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(yaml, Does.StartWith("# SAMPLE PROFILE: BILL FROM CPQ SUBSCRIPTIONS"));
            Assert.That(profile.OrderItem.Object, Is.EqualTo("SBQQ__Subscription__c"));
            Assert.That(profile.OrderItem.Fields["endDate"].Paths, Is.EqualTo(new[] { "SBQQ__TerminatedDate__c", "SBQQ__EndDate__c" }));
            Assert.That(profile.Contract!.Object, Is.EqualTo("Contract"));
        }
    }

    [Test]
    public void ShippedBillingSample_IsValidAndClearlyMarked()
    {
        var yaml = MappingProfileLoader.ShippedProfile("salesforce-billing.yaml");

        var profile = MappingProfileLoader.Parse(yaml, "salesforce-billing.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(yaml, Does.StartWith("# SAMPLE PROFILE FOR ORGS WITH THE SALESFORCE BILLING PACKAGE"));
            Assert.That(profile.InvoiceTarget.Object, Is.EqualTo("blng__Invoice__c"));
            Assert.That(profile.Order.Fields["accountId"].Paths, Is.EqualTo(new[] { "blng__BillingAccount__c", "AccountId" }));
        }
    }

    // Each case breaks the shipped profile in one way and names the problem the admin must see (with its location).
    [TestCase("version: 1", "version: 2", "version: 2 is not supported; only version 1 is.")]
    [TestCase("version: 1\n", "", "version: is required; write 'version: 1'.")]
    [TestCase("defaults:", "defaultz:", "(file).defaultz: unknown key (did you mean 'defaults'?)")]
    [TestCase("  orderItem:\n", "  orderItems:\n", "sources.orderItems: unknown source (did you mean 'orderItem'?)")]
    [TestCase("      billingFrequency: { field", "      billingFrequncy: { field", "sources.orderItem.fields.billingFrequncy: unknown billing input (did you mean 'billingFrequency'?).")]
    [TestCase("      unitPrice: UnitPrice\n", "", "sources.orderItem.fields.unitPrice: required, but not mapped.")]
    [TestCase("orderNumber: OrderNumber", "orderNumber: { field: OrderNumber, constant: X }", "sources.order.fields.orderNumber: give exactly one of field, coalesce or constant.")]
    [TestCase("{ coalesce: [ServiceDate, Order.EffectiveDate] }", "{ coalesce: [ServiceDate] }", "sources.orderItem.fields.startDate.coalesce: must be a list of two or more field paths")]
    [TestCase("quantity: Quantity", "quantity: Quan tity!", "sources.orderItem.fields.quantity: 'Quan tity!' is not a field path")]
    [TestCase("map: billingFrequency }", "map: billingFreq }", "sources.orderItem.fields.billingFrequency.map: value map 'billingFreq' is not defined under valueMaps (did you mean 'billingFrequency'?).")]
    [TestCase("productName: Product2.Name", "productName: { field: Product2.Name, map: chargeType }", "sources.orderItem.fields.productName.map: only picklist inputs go through a value map; productName is text.")]
    [TestCase("    Annual: Annual", "    Annual: Anual", "valueMaps.billingFrequency.Annual: 'Anual' is not one of Monthly, Quarterly, Semiannual, Annual (did you mean 'Annual'?).")]
    [TestCase("    Net 30: \"30\"", "    Net 30: thirty", "valueMaps.paymentTerm.Net 30: 'thirty' is not a number of days from 0 to 365, or an installment plan")]
    [TestCase("    Net 30: \"30\"", "    Net 30: \"30%/15d, 60%/45d\"", "valueMaps.paymentTerm.Net 30: '30%/15d, 60%/45d' is not a number of days from 0 to 365, or an installment plan such as \"30%/15d, 70%/45d\" (percents adding up to 100)")]
    [TestCase("endDate: EndDate", "endDate: { field: EndDate, format: 31/12/2026 }", "sources.orderItem.fields.endDate.format: '31/12/2026' is not a date pattern")]
    [TestCase("quantity: Quantity", "quantity: { field: Quantity, format: european }", "sources.orderItem.fields.quantity.format: 'european' is not a number format; use invariant or decimalComma.")]
    [TestCase("productName: Product2.Name", "productName: { field: Product2.Name, format: upper }", "sources.orderItem.fields.productName.format: only date and number inputs take a format")]
    [TestCase("default: \"1\" }", "default: one }", "sources.orderItem.fields.prorateMultiplier.default: 'one' is not a valid number")]
    [TestCase("unitPrice: UnitPrice", "unitPrice: { field: UnitPrice, required: false }", "sources.orderItem.fields.unitPrice.required: billing cannot do without this input; it stays required.")]
    [TestCase("unitPrice: UnitPrice", "unitPrice: { feild: UnitPrice }", "sources.orderItem.fields.unitPrice.feild: unknown key (did you mean 'field'?)")]
    [TestCase("  currency: EUR", "  currency: EURO", "defaults.currency: 'EURO' is not a supported ISO 4217 code.")]
    [TestCase("  paymentTermDays: 30", "  paymentTermDays: 400", "defaults.paymentTermDays: 400 is out of range; use 0 to 365.")]
    [TestCase("  taxRatePercent: 0", "  taxRatePercent: 121", "defaults.taxRatePercent: 121 is out of range; use a percentage from 0 to 100.")]
    [TestCase("taxRates:\n  - { country: ES, rate: 21 }", "taxRates: { ES: 21 }\nrest:\n  - { country: ES, rate: 21 }", "taxRates: must be a list of rules")]
    [TestCase("  - { country: ES, rate: 21 }\n", "  - { country: ES, rate: 21 }\n  - { country: es, rate: 10 }\n", "taxRates[1]: a rule for es is already given above.")]
    [TestCase("  - { country: ES, rate: 21 }\n", "  - { rate: 21 }\n", "taxRates[0].country: is required.")]
    [TestCase("  - { country: ES, rate: 21 }\n", "  - { country: ES, rate: 21, exemptReason: VATEX-EU-O }\n", "taxRates[0].exemptReason: is only for a rate of 0 (this rule's is 21).")]
    [TestCase("  - { country: ES, rate: 21 }\n", "  - { country: ES, rate: 21, businessOnly: maybe }\n", "taxRates[0].businessOnly")]
    [TestCase("Connector_Total_Amount__c: total", "Connector_Total_Amount__c: totl", "writeBack.invoice.fields.Connector_Total_Amount__c: 'totl' is not a billing fact of invoice (did you mean 'total'?)")]
    [TestCase("{ fact: issueDate, mode: once }", "{ fact: issueDate, mode: sometimes }", "writeBack.invoice.fields.Connector_Issue_Date__c.mode: 'sometimes' is not allowed; use always or once.")]
    [TestCase("    externalIdField: Connector_Invoice_Key__c\n", "", "writeBack.invoice.externalIdField: is required: upserts by an external id")]
    [TestCase("Connector_Status__c: status", "Connector Status: status", "writeBack.invoice.fields.Connector Status: 'Connector Status' is not an API name")]
    [TestCase("    object: OrderItem", "    object: [OrderItem]", "sources.orderItem.object: must be a single value, not a list or mapping.")]
    public void Parse_BrokenProfile_ReportsTheProblemWithFileLineAndColumn(string from, string to, string expected)
    {
        // Arrange
        Assert.That(Default, Does.Contain(from), "the case must change the shipped profile");
        var yaml = Default.Replace(from, to, StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "m.yaml"));

        // Assert
        Assert.That(ex!.Problems, Has.Some.Match(@"^m\.yaml:\d+:\d+: ").And.Some.Contain(expected));
    }

    [TestCase("quantity: Quantity", "quantity: Order.Account.Owner.Manager.Profile.UserLicense.Name", "'Order.Account.Owner.Manager.Profile.UserLicense.Name' goes 6 relationships deep; SOQL follows at most 5")]
    [TestCase("version: 1\n", "version: 1\n---\nversion: 1\n", "a second YAML document ('---'); a mapping file holds one.")]
    [TestCase("version: 1", "version: !!int 1", "the tag 'tag:yaml.org,2002:int' is not allowed")]
    [TestCase("version: 1\n", "version: 1\nx: &a [1]\ny: *a\n", "anchors (&name) are not allowed")]
    [TestCase("version: 1", "version: 1\0", "the file holds a NUL byte")]
    [TestCase("version: 1\n", "version: {a: 1\nname: x\n", "not valid YAML")]
    public void Parse_HostileShape_RefusedWithFileLineAndColumnBeforeLoading(string from, string to, string expected)
    {
        Assert.That(Default, Does.Contain(from), "the case must change the shipped profile");
        var yaml = Default.Replace(from, to, StringComparison.Ordinal);

        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "m.yaml"));

        Assert.That(ex!.Problems, Has.Some.Match(@"^m\.yaml:\d+:\d+: ").And.Some.Contain(expected));
    }

    [TestCase("[", "]")]
    [TestCase("{a: ", "}")]
    public void Parse_FortyThousandLevelsOfNesting_RefusedWithLineAndColumnNotAStackOverflow(string open, string close)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 40_000)) + "x" + string.Concat(Enumerable.Repeat(close, 40_000));

        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse("version: 1\nsources: " + deep + "\n", "m.yaml"));

        Assert.That(ex!.Problems.Single(), Does.Match(@"^m\.yaml:\d+:\d+: nesting deeper than 32 levels"));
    }

    [Test]
    public void Parse_SeveralProblems_ReportsThemAllAtOnceWithTheirLines()
    {
        // Arrange
        var yaml = Default
            .Replace("    Annual: Annual", "    Annual: Anual", StringComparison.Ordinal)
            .Replace("Connector_Total_Amount__c: total\n      Connector_Balance__c", "Connector_Total_Amount__c: totl\n      Connector_Balance__c", StringComparison.Ordinal)
            .Replace("      unitPrice: UnitPrice\n", "", StringComparison.Ordinal);
        var lineOf = (string text) => yaml.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

        // Act
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "m.yaml"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Problems, Has.Count.EqualTo(3));
            Assert.That(ex.Problems, Has.Some.StartsWith($"m.yaml:{lineOf("Annual: Anual")}:"));
            Assert.That(ex.Problems, Has.Some.StartsWith($"m.yaml:{lineOf("totl")}:"));
            Assert.That(ex.Message, Does.Contain("unitPrice: required"));
        }
    }

    [Test]
    public void Parse_NotYaml_ReportsWhereTheSyntaxBreaks()
    {
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse("version: 1\nsources: [unclosed\n", "m.yaml"));

        Assert.That(ex!.Problems.Single(), Does.Match(@"^m\.yaml:\d+:\d+: not valid YAML"));
    }

    [Test]
    public void Load_MissingFile_NamesTheSettingAndThePath()
    {
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Load("/nowhere/mapping.yaml"));

        Assert.That(ex!.Problems.Single(), Is.EqualTo("Connector:Mapping:Path = '/nowhere/mapping.yaml': no such file."));
    }
}
