using Connector.Mapping.Profile;
using Connector.Mapping.Validation;
using Connector.Sandbox.Data;

namespace Connector.Mapping.Tests.Validation;

[TestFixture]
public sealed class OrgValidatorTests
{
    private static readonly string Default = MappingProfileLoader.ShippedProfile(MappingProfileLoader.DefaultProfileName).ReplaceLineEndings("\n");

    [Test]
    public async Task ValidateAsync_ShippedProfileOnACpqOrgWithTheConnectorMetadata_HasNoProblems()
    {
        var problems = await OrgValidator.ValidateAsync(MappingProfileLoader.LoadDefault(), new SandboxOrgSchema(SandboxSchema.CpqWithoutBilling()), CancellationToken.None);

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task ValidateAsync_ShippedSubscriptionsSampleOnACpqOrg_HasNoProblems()
    {
        var profile = MappingProfileLoader.Parse(MappingProfileLoader.ShippedProfile("cpq-subscriptions.yaml"), "cpq-subscriptions.yaml");

        var problems = await OrgValidator.ValidateAsync(profile, new SandboxOrgSchema(SandboxSchema.CpqWithoutBilling()), CancellationToken.None);

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task ValidateAsync_FieldHiddenByFieldLevelSecurity_NamesTheFieldAndWhereTheProfileUsesIt()
    {
        // Arrange
        var schema = SandboxSchema.CpqWithoutBilling();
        schema.Hide("OrderItem", "SBQQ__BillingType__c", DateTimeOffset.UnixEpoch);
        var line = Default.Split('\n').ToList().FindIndex(l => l.Contains("SBQQ__BillingType__c", StringComparison.Ordinal)) + 1;

        // Act
        var problems = await OrgValidator.ValidateAsync(MappingProfileLoader.Parse(Default, "m.yaml"), new SandboxOrgSchema(schema), CancellationToken.None);

        // Assert
        Assert.That(problems.Single(), Does.StartWith($"m.yaml:{line}:").And.Contain("OrderItem.SBQQ__BillingType__c does not exist or is hidden from the integration user by field-level security"));
    }

    [TestCase("      productName: Product2.Name", "      productName: Produkt2.Name", "OrderItem has no relationship 'Produkt2' (did you mean 'Product2'?)")]
    [TestCase("      unitPrice: UnitPrice", "      unitPrice: UnitPrise", "OrderItem.UnitPrise does not exist or is hidden from the integration user by field-level security (did you mean 'UnitPrice'?)")]
    [TestCase("      quantity: Quantity", "      quantity: Product2.Name", "'Product2.Name' is a string field; quantity needs a number field")]
    [TestCase("      endDate: EndDate", "      endDate: Quantity", "'Quantity' is a double field; endDate needs a date field")]
    [TestCase("    Monthly: Monthly", "    Monthly: Monthly\n    Weekly: Monthly", "valueMaps.billingFrequency.Weekly: 'Weekly' is not an active value of SBQQ__BillingFrequency__c")]
    [TestCase("    object: Connector_Invoice__c", "    object: Invoice__c", "writeBack.invoice.object: 'Invoice__c' does not exist in the org or is not visible")]
    [TestCase("    externalIdField: Connector_Invoice_Key__c", "    externalIdField: Name", "Connector_Invoice__c.Name is not marked External ID in the org")]
    [TestCase("      Connector_Billed_Through__c: billedThrough", "      TotalAmount: billedThrough", "writeBack.order.fields.TotalAmount: Order.TotalAmount is not updateable")]
    [TestCase("      Connector_Billed_Through__c: billedThrough", "      Status: lastInvoiceNumber", "Status is a restricted picklist; the fact lastInvoiceNumber is free text")]
    [TestCase("Connector_Issue_Date__c: { fact: issueDate, mode: once }", "Connector_Issue_Date__c: { fact: status, mode: once }", "Connector_Issue_Date__c is a date field; the fact status is text")]
    [TestCase("Connector_Payment_Status__c: paymentStatus", "Connector_Payment_Status__c: status", "Connector_Payment_Status__c is a restricted picklist without 'Posted'")]
    [TestCase("  contentKeyField: Connector_Content_Key__c", "  contentKeyField: Content_Key__c", "files.contentKeyField: ContentVersion.Content_Key__c does not exist or is not createable")]
    public async Task ValidateAsync_ProfileThatDoesNotFitTheOrg_ReportsIt(string from, string to, string expected)
    {
        // Arrange
        Assert.That(Default, Does.Contain(from), "the case must change the shipped profile");
        var profile = MappingProfileLoader.Parse(Default.Replace(from, to, StringComparison.Ordinal), "m.yaml");

        // Act
        var problems = await OrgValidator.ValidateAsync(profile, new SandboxOrgSchema(SandboxSchema.CpqWithoutBilling()), CancellationToken.None);

        // Assert
        Assert.That(problems, Has.Some.Contain(expected).And.All.Match(@"^m\.yaml"));
    }
}
