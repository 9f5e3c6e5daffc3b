using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Sync.Cycles;
using Connector.Sync.Quarantine;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// Usage-based billing from the org: the seed's API calls (a Slab schedule: 10,000 at 0.002, the rest at 0.001) are
/// billed in arrears, each billed period gets a usage summary record, each usage record learns its status, late usage
/// is billed by the next run without touching the posted invoice, and an edited record is quarantined.
/// </summary>
[TestFixture]
public sealed class UsageBillingTests
{
    [Test, CancelAfter(90_000)]
    public async Task Cycle_SeededUsage_BillsEachMonthWritesItsSummaryAndEachRecordsStatus(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(null, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var acme = report.InvoicesPosted.Single(i => i.Buyer.Name == "Acme Iberia SL");
        var usageLines = acme.Lines.Where(l => l.Usage is not null).ToList();
        var summaries = sandbox.Org.Data.All("Connector_Usage_Summary__c").OrderBy(s => s["Connector_Period_Start__c"]!.GetValue<string>()).ToList();
        var usage = sandbox.Org.Data.All("Connector_Usage__c");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(usageLines.Select(l => l.Net.ToPlainString()), Is.EqualTo(new[] { "17.00", "28.25" }), "8,500 calls × 0.002; 10,000 × 0.002 + 8,250 × 0.001");
            Assert.That(usageLines[1].Explanation, Does.Contain("18250 Call, Slab: rate 1 (1..10000) 10000 × 0.002 = 20; rate 2 (10001..) 8250 × 0.001 = 8.25 → 28.25"));
            Assert.That(summaries.Select(s => (s["Connector_Quantity__c"]!.GetValue<decimal>(), s["Connector_Amount__c"]!.GetValue<decimal>(), s["Connector_Status__c"]!.GetValue<string>())),
                Is.EqualTo(new[] { (8_500m, 17.00m, "Billed"), (18_250m, 28.25m, "Billed") }));
            Assert.That(summaries.Select(s => s["Connector_Invoice_Number__c"]!.GetValue<string>()), Has.All.EqualTo(acme.Number));
            Assert.That(summaries.Select(s => s["Connector_Order__c"]!.GetValue<string>()), Has.All.EqualTo(acme.Lines[0].OrderId), "the summaries show on the order");
            Assert.That(usage.Select(u => (u["Connector_Status__c"]!.GetValue<string>(), u["Connector_Invoice_Number__c"]!.GetValue<string>())), Has.All.EqualTo(("Billed", acme.Number)));
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Cycle_LateRejectedAndEditedUsage_LateLineOnTheNextInvoiceRejectionsWrittenBackEditQuarantined(CancellationToken cancellationToken)
    {
        // Arrange: the first cycle bills the seed's two months.
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(null, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        var first = await cycle.RunAsync(cancellationToken);
        var line = sandbox.Org.Data.All("SBQQ__OrderItemConsumptionSchedule__c").Single()["SBQQ__OrderItem__c"]!.GetValue<string>();
        var lastMonth = new DateOnly(sandbox.Day.Year, sandbox.Day.Month, 1).AddMonths(-1);
        var edited = sandbox.Org.Data.All("Connector_Usage__c").Single(u => u["Connector_Usage_Id__c"]!.GetValue<string>() == "acme-calls-1")["Id"]!.GetValue<string>();

        // Act: 1,750 more calls for last month (18,250 → 20,000: 28.25 → 30.00), usage in another unit, and an edit.
        var late = Usage(sandbox, "late-1", line, lastMonth.AddDays(27), 1_750m, "Call");
        var rejected = Usage(sandbox, "hours-1", line, lastMonth.AddDays(3), 2m, "Hour");
        var recurring = sandbox.Org.Data.All("OrderItem").First(i => i["SBQQ__ChargeType__c"]!.GetValue<string>() == "Recurring")["Id"]!.GetValue<string>();
        var notUsage = Usage(sandbox, "wrong-1", recurring, lastMonth.AddDays(3), 5m, "Call");
        sandbox.Org.Data.Update("Connector_Usage__c", edited, new JsonObject { ["Connector_Quantity__c"] = 9_999m });
        var second = await cycle.RunAsync(cancellationToken);

        // Assert
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
        var lateLine = second.InvoicesPosted.Single().Lines.Single();
        var summary = sandbox.Org.Data.All("Connector_Usage_Summary__c").Single(s => s["Connector_Period_Start__c"]!.GetValue<string>() == lastMonth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.InvoicesPosted, Has.Count.EqualTo(3));
            Assert.That((lateLine.Net.ToPlainString(), lateLine.Quantity, lateLine.Usage!.Late, lateLine.Usage.BilledBefore), Is.EqualTo(("1.75", 1_750m, true, (decimal?)28.25m)),
                "rate(20,000) = 30.00 less the 28.25 billed");
            Assert.That((summary["Connector_Quantity__c"]!.GetValue<decimal>(), summary["Connector_Amount__c"]!.GetValue<decimal>()), Is.EqualTo((20_000m, 30.00m)));
            Assert.That(Record(sandbox, late)["Connector_Status__c"]!.GetValue<string>(), Is.EqualTo("Billed"));
            Assert.That(Record(sandbox, late)["Connector_Invoice_Number__c"]!.GetValue<string>(), Is.EqualTo(second.InvoicesPosted.Single().Number));
            Assert.That(Record(sandbox, rejected)["Connector_Status__c"]!.GetValue<string>(), Is.EqualTo("Rejected"));
            Assert.That(Record(sandbox, rejected)["Connector_Status_Reason__c"]!.GetValue<string>(), Does.Contain("unit of measure 'Hour' differs from the schedule's 'Call'"));
            Assert.That(quarantine.Select(q => q.Reason), Has.Some.Contains("usage acme-calls-1").And.Contains("usage records are never edited"));
            Assert.That(Record(sandbox, notUsage)["Connector_Status__c"]!.GetValue<string>(), Is.EqualTo("Rejected"), "usage on a line not billed by usage is rejected, not dropped");
            Assert.That(Record(sandbox, notUsage)["Connector_Status_Reason__c"]!.GetValue<string>(), Does.Contain("which is Recurring"));
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Cycle_RatesWithTouchingBounds_ReadWithInclusiveUpperBoundsAndSaidSo(CancellationToken cancellationToken)
    {
        // Arrange: the org writes the second rate from 10,000 (touching the first's upper bound), as some orgs do.
        using var sandbox = new SandboxHarness(org =>
        {
            var second = org.Data.All("SBQQ__OrderItemConsumptionRate__c").Single(r => r["SBQQ__LowerBound__c"]!.GetValue<decimal>() == 10_001m)["Id"]!.GetValue<string>();
            org.Data.Update("SBQQ__OrderItemConsumptionRate__c", second, new JsonObject { ["SBQQ__LowerBound__c"] = 10_000m });
        });
        var capture = new CapturingLoggerProvider();
        using var host = sandbox.BuildHost(configureServices: services => services.AddLogging(b => b.AddProvider(capture)));
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert: billed exactly as with 10,001 (the 10,000th call at the first rate), and the log says what was read.
        var acme = report.InvoicesPosted.Single(i => i.Buyer.Name == "Acme Iberia SL");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(acme.Lines.Where(l => l.Usage is not null).Select(l => l.Net.ToPlainString()), Is.EqualTo(new[] { "17.00", "28.25" }));
            Assert.That(capture.Lines, Has.Some.Contains("read with inclusive upper bounds").And.Contains("lower bound 10000 touches the previous rate's upper bound").And.Contains("starts at 10001"));
        }
    }

    private static string Usage(SandboxHarness sandbox, string key, string line, DateOnly day, decimal quantity, string unit) =>
        sandbox.Org.Data.Insert("Connector_Usage__c", new JsonObject
        {
            ["Connector_Usage_Id__c"] = key, ["Connector_Order_Product__c"] = line, ["Connector_Usage_Date__c"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Connector_Quantity__c"] = quantity, ["Connector_Unit_Of_Measure__c"] = unit, ["Connector_Status__c"] = "New",
        });

    private static JsonObject Record(SandboxHarness sandbox, string id) => sandbox.Org.Data.All("Connector_Usage__c").Single(u => u["Id"]!.GetValue<string>() == id);
}
