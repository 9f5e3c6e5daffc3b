using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sync.Cycles;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>Credit notes reach the org as records linked to their account, order and corrected invoice, with what is used and available.</summary>
[TestFixture]
public sealed class CreditNoteWriteBackTests
{
    [TestCase(false)]
    [TestCase(true)]
    [CancelAfter(90_000)]
    public async Task Cycle_LineEndedEarly_CreditNoteRecordLinkedToTheInvoiceItCorrectsWithUsedAndAvailable(bool bulk, CancellationToken cancellationToken)
    {
        // Arrange: the first cycle bills Acme's platform through this month (10 seats, 1,000.00 a month). With bulk, writes of
        // more than one record go through Bulk API 2.0, where the invoice is named by a Connector_Invoice__r.Connector_Invoice_Key__c column.
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(bulk
            ? new Dictionary<string, string?> { ["Connector:Salesforce:BulkWriteThreshold"] = "1", ["Connector:Salesforce:BulkPollInterval"] = "00:00:00.010" }
            : null, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        var first = await cycle.RunAsync(cancellationToken);
        var acmeOrder = sandbox.Org.Data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000101")["Id"]!.GetValue<string>();
        var platform = sandbox.Org.Data.All("OrderItem").Where(i => i["Product2Id"]!.GetValue<string>() == sandbox.Org.Data.All("Product2").Single(p => p["ProductCode"]!.GetValue<string>() == "PLAT")["Id"]!.GetValue<string>())
            .Where(i => sandbox.Org.Data.Find("Order", i["OrderId"]!.GetValue<string>())!["Status"]!.GetValue<string>() == "Activated").ToList();
        var lastMonthEnd = new DateOnly(sandbox.Day.Year, sandbox.Day.Month, 1).AddDays(-1);

        // Act: Acme's and Globex's platform subscriptions now end with last month, so this month's is credited (two credit
        // notes): 1,000.00 and 21 % IVA for Acme in Spain.
        foreach (var line in platform)
        {
            sandbox.Org.Data.Update("OrderItem", line["Id"]!.GetValue<string>(), new JsonObject { ["EndDate"] = lastMonthEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        }

        var second = await cycle.RunAsync(cancellationToken);

        // Assert
        var acmeInvoice = first.InvoicesPosted.Single(i => i.Buyer.Name == "Acme Iberia SL").Number;
        var invoice = sandbox.Org.Data.All("Connector_Invoice__c").Single(i => i["Name"]!.GetValue<string>() == acmeInvoice);
        var records = sandbox.Org.Data.All("Connector_Credit_Note__c");
        var record = records.Single(r => r["Connector_Invoice__c"]?.GetValue<string>() == invoice["Id"]!.GetValue<string>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.WriteBackFailures, Is.Empty);
            Assert.That(second.WriteBackFailures, Is.Empty);
            Assert.That(platform, Has.Count.EqualTo(2));
            Assert.That(records.Select(r => r["Connector_Credit_Note_Key__c"]!.GetValue<string>()), Is.EquivalentTo(new[] { "CN-000001", "CN-000002" }), "each linked to the invoice it corrects, through the invoice's key");
            Assert.That(record["Name"]!.GetValue<string>(), Is.EqualTo(record["Connector_Credit_Note_Key__c"]!.GetValue<string>()));
            Assert.That(record["Connector_Account__c"]!.GetValue<string>(), Is.EqualTo(invoice["Connector_Account__c"]!.GetValue<string>()));
            Assert.That(record["Connector_Order__c"]!.GetValue<string>(), Is.EqualTo(acmeOrder));
            Assert.That(record["Connector_Total_Amount__c"]!.GetValue<decimal>(), Is.EqualTo(1_210.00m));
            Assert.That((record["Connector_Allocated_Amount__c"]!.GetValue<decimal>(), record["Connector_Available_Amount__c"]!.GetValue<decimal>()), Is.EqualTo((1_210.00m, 0m)),
                "used against the corrected invoice's open balance (saldo utilizado)");
            Assert.That(record["Connector_Reason__c"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(invoice["Connector_Credited_Amount__c"]!.GetValue<decimal>(), Is.EqualTo(1_210.00m));
            Assert.That(records.Select(r => (Key: r["Connector_Credit_Note_Key__c"]!.GetValue<string>(), Files: string.Join(", ", Files(sandbox, r["Id"]!.GetValue<string>()))))
                .Where(r => r.Files != $"{r.Key}.pdf, {r.Key}.xml"), Is.Empty, "each credit note's PDF and UBL file are on its record, titled by its number");
            Assert.That(sandbox.Org.IngestJobsCreated, bulk ? Is.GreaterThan(0) : Is.Zero);
        }
    }

    /// <summary>The titles of the files first published on a record (a ContentVersion's FirstPublishLocationId).</summary>
    private static List<string> Files(SandboxHarness sandbox, string recordId) =>
        [.. sandbox.Org.Data.All("ContentVersion").Where(v => v["FirstPublishLocationId"]?.GetValue<string>() == recordId).Select(v => v["PathOnClient"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
