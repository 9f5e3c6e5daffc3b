using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sync.Cycles;
using Connector.Sync.Quarantine;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>An order that names a legal entity the connector does not know: its lines wait in quarantine, everything else bills.</summary>
[TestFixture]
public sealed class LegalEntityCycleTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Cycle_OrderNamingAnUnknownEntity_QuarantinedWithTheEntitiesThatExistAndTheRestBills(CancellationToken cancellationToken)
    {
        // Arrange: a new order for Acme that names 'FR'; the sandbox settings configure the demo's one entity, ES.
        var lineId = "";
        using var sandbox = new SandboxHarness(org =>
        {
            var data = org.Data;
            var month = new DateOnly(SandboxHarness.Today.Year, SandboxHarness.Today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var acme = data.FindBy("Account", "Name", "Acme Iberia SL")!["Id"]!.GetValue<string>();
            var product = data.FindBy("Product2", "ProductCode", "ONB")!["Id"]!.GetValue<string>();
            var order = data.Insert("Order", new JsonObject
            {
                ["OrderNumber"] = "00000777", ["AccountId"] = acme, ["Status"] = "Activated", ["EffectiveDate"] = month, ["SBQQ__PaymentTerm__c"] = "Net 30",
                ["SBQQ__Contracted__c"] = false, ["Type"] = "New", ["Connector_Legal_Entity__c"] = "FR",
            });
            lineId = data.Insert("OrderItem", new JsonObject
            {
                ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 900, ["ListPrice"] = 900, ["TotalPrice"] = 900,
                ["ServiceDate"] = month, ["SBQQ__ChargeType__c"] = "One-Time", ["SBQQ__Activated__c"] = true,
            });
        });
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quarantine.Where(q => q.RecordId == lineId).Select(q => q.Reason), Has.Exactly(1).Contains("legal entity 'FR' is not configured").And.Contains("ES"));
            Assert.That(report.InvoicesPosted.SelectMany(i => i.Lines).Select(l => l.OrderLineId), Does.Not.Contain(lineId));
            Assert.That(report.InvoicesPosted.Select(i => i.Buyer.Name), Is.EquivalentTo(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd" }), "everything else bills");
            Assert.That(report.InvoicesPosted.Select(i => i.Seller.Name).Distinct(), Is.EqualTo(new[] { "Ejemplo Software SL" }), "billed by the configured entity");
        }
    }
}
