using Connector.Mapping.WriteBack;
using Connector.Sync.WriteBack;
using Connector.Mapping.Profile;

namespace Connector.Sync.Tests.WriteBack;

[TestFixture]
public sealed class WriteBackPayloadsTests
{
    private readonly WriteBackPayloads _payloads = new(MappingProfileLoader.LoadDefault());

    [Test]
    public void InvoiceRecord_DefaultProfile_MapsFactsToTheConnectorInvoiceFields()
    {
        var facts = new InvoiceFacts("INV-000007", "INV-000007", "Posted", "001A", "801A", "EUR",
            new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), 100.00m, 21.00m, 121.00m, 121.00m, "Unpaid");

        var record = _payloads.InvoiceRecord(facts, firstWrite: true);
        var later = _payloads.InvoiceRecord(facts, firstWrite: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record["Connector_Invoice_Key__c"]!.GetValue<string>(), Is.EqualTo("INV-000007"));
            Assert.That(record["Name"]!.GetValue<string>(), Is.EqualTo("INV-000007"));
            Assert.That(record["Connector_Due_Date__c"]!.GetValue<string>(), Is.EqualTo("2026-03-31"));
            Assert.That(record["Connector_Total_Amount__c"]!.GetValue<decimal>(), Is.EqualTo(121.00m));
            Assert.That(record["Connector_Order__c"]!.GetValue<string>(), Is.EqualTo("801A"));
            Assert.That(record.ContainsKey("attributes"), Is.False, "the upsert adds the type");
            Assert.That(later.ContainsKey("Connector_Issue_Date__c"), Is.False, "written once");
            Assert.That(later["Connector_Balance__c"]!.GetValue<decimal>(), Is.EqualTo(121.00m), "written on every change");
            Assert.That(later["Connector_Invoice_Key__c"]!.GetValue<string>(), Is.EqualTo("INV-000007"), "the key is always sent");
        }
    }

    [Test]
    public void OrderRecord_NoExternalId_UpdatesByIdWithType()
    {
        var record = _payloads.OrderRecord(new OrderFacts("801000000000001AAA", "INV-000007", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 1)), firstWrite: false);

        Assert.That(record.ToJsonString(), Is.EqualTo(
            """{"Connector_Last_Invoice_Number__c":"INV-000007","Connector_Last_Invoice_Date__c":"2026-03-01","Connector_Billed_Through__c":"2026-03-31","Connector_Next_Billing_Date__c":"2026-04-01","attributes":{"type":"Order"},"Id":"801000000000001AAA"}"""));
    }
}
