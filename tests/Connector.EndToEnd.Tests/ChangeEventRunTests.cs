using System.Text.Json.Nodes;
using Connector.Sync.ChangeEvents;
using Connector.Sync.Cycles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Connector.EndToEnd.Tests;

/// <summary>
/// <c>connector run</c> with change events on, against the sandbox org and its Pub/Sub API, on the real clock: polls
/// are an hour apart and the next scheduled run is a year away, so what happens in seconds is the stream's doing.
/// </summary>
[TestFixture]
public sealed class ChangeEventRunTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test, CancelAfter(120_000)]
    public async Task An_order_activated_in_the_org_is_invoiced_and_its_record_and_pdf_reach_the_org_within_seconds(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        await using var running = await RunningAsync(sandbox, invoiceOnActivation: true, cancellationToken);
        var draft = Order(sandbox, "00000104");
        Assert.That(InvoiceRecordsOf(sandbox, draft), Is.Empty, "a draft order is not billed");

        // Activation as CPQ does it: the order's status, then its products' Activated flag.
        sandbox.Org.Locked(data =>
        {
            data.Update("Order", draft, new JsonObject { ["Status"] = "Activated" });
            foreach (var item in data.All("OrderItem").Where(i => i["OrderId"]!.GetValue<string>() == draft))
            {
                data.Update("OrderItem", item["Id"]!.GetValue<string>(), new JsonObject { ["SBQQ__Activated__c"] = true });
            }

            return 0;
        });

        await UntilAsync(() => InvoiceRecordsOf(sandbox, draft).Any(r => r["Connector_PDF_Link__c"] is not null), cancellationToken);
        var record = InvoiceRecordsOf(sandbox, draft).Single();
        Assert.That(record["Name"]!.GetValue<string>(), Is.EqualTo("INV-000004"), "numbered after the three the start run posted");
    }

    [Test, CancelAfter(120_000)]
    public async Task Bill_now_ticked_by_a_sales_user_bills_that_order_only_and_the_box_is_cleared(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        await using var running = await RunningAsync(sandbox, invoiceOnActivation: false, cancellationToken);
        var draft = Order(sandbox, "00000104");
        Update(sandbox, draft, new JsonObject { ["Status"] = "Activated" }); // activated: billed at the next scheduled run
        await UntilAsync(async () => (await running.Channels()).Any(c => c.Channel == "/data/OrderChangeEvent" && c.EventsTotal >= 1), cancellationToken);
        Assert.That(InvoiceRecordsOf(sandbox, draft), Is.Empty, "without InvoiceOnActivation an activated order waits for its run");

        Update(sandbox, draft, new JsonObject { ["Connector_Bill_Now__c"] = true });

        await UntilAsync(() => InvoiceRecordsOf(sandbox, draft).Count > 0 && sandbox.Org.Locked(d => d.Find("Order", draft)!["Connector_Bill_Now__c"]!.GetValue<bool>()) == false, cancellationToken);
        Assert.That(sandbox.Org.Locked(d => d.All("Connector_Invoice__c")), Has.Count.EqualTo(4), "the start run's three and this one");
    }

    [Test, CancelAfter(120_000)]
    public async Task A_payment_recorded_in_the_org_marks_the_invoice_paid_in_the_org_within_seconds(CancellationToken cancellationToken)
    {
        // An org that records bank payments in a custom object, and a profile that reads them as payments.
        using var sandbox = new SandboxHarness(org => org.Data.Schema.Add("Bank_Payment__c", "a0P", [new("Account__r", "Account", "Account__c")],
            "Account__c", "Amount__c:currency", "Received__c:date", "Invoice_Number__c"));
        var profile = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "payments.yaml");
        var shipped = await File.ReadAllTextAsync(Repository.File("src", "Connector.Mapping", "Profiles", "cpq-default.yaml"), cancellationToken);
        await File.WriteAllTextAsync(profile, shipped.Replace("sources:\n", """
            sources:
              payment:
                object: Bank_Payment__c
                fields:
                  accountId: Account__c
                  amount: Amount__c
                  receivedDate: Received__c
                  invoiceNumber: Invoice_Number__c

            """.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal), cancellationToken);
        await using var running = await RunningAsync(sandbox, invoiceOnActivation: false, cancellationToken, new() { ["Connector:Mapping:Path"] = profile });
        var first = sandbox.Org.Locked(d => d.All("Connector_Invoice__c").Single(i => i["Name"]!.GetValue<string>() == "INV-000001"));
        Assert.That(first["Connector_Payment_Status__c"]!.GetValue<string>(), Is.Not.EqualTo("Paid"));

        sandbox.Org.Locked(d => d.Insert("Bank_Payment__c", new JsonObject
        {
            ["Account__c"] = first["Connector_Account__c"]!.GetValue<string>(), ["Amount__c"] = first["Connector_Total_Amount__c"]!.DeepClone(),
            ["Received__c"] = SandboxHarness.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["Invoice_Number__c"] = "INV-000001",
        }));

        await UntilAsync(() => sandbox.Org.Locked(d => d.All("Connector_Invoice__c").Single(i => i["Name"]!.GetValue<string>() == "INV-000001"))["Connector_Payment_Status__c"]!.GetValue<string>() == "Paid", cancellationToken);
    }

    [Test, CancelAfter(120_000)]
    public async Task Without_change_events_sync_once_bills_a_ticked_order_with_the_rest_and_clears_its_box(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        var acme = Order(sandbox, "00000101");
        sandbox.Org.Data.Update("Order", acme, new JsonObject { ["Connector_Bill_Now__c"] = true });
        using var host = await sandbox.PreparedHostAsync(null, cancellationToken);

        var report = await host.Services.GetRequiredService<SyncCycle>().RunOnceAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted, Has.Count.EqualTo(3));
            Assert.That(sandbox.Org.Data.Find("Order", acme)!["Connector_Bill_Now__c"]!.GetValue<bool>(), Is.False);
        }
    }

    private static string Order(SandboxHarness sandbox, string number) =>
        sandbox.Org.Locked(data => data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == number)["Id"]!.GetValue<string>());

    private static List<JsonObject> InvoiceRecordsOf(SandboxHarness sandbox, string orderId) =>
        sandbox.Org.Locked(data => data.All("Connector_Invoice__c").Where(i => i["Connector_Order__c"]?.GetValue<string>() == orderId).ToList());

    /// <summary>A change a user makes in the org, between the API calls the org is serving.</summary>
    private static void Update(SandboxHarness sandbox, string id, JsonObject fields) => sandbox.Org.Locked(data =>
    {
        data.Update("Order", id, fields);
        return 0;
    });

    private static async Task<Running> RunningAsync(SandboxHarness sandbox, bool invoiceOnActivation, CancellationToken cancellationToken,
        Dictionary<string, string?>? extra = null)
    {
        sandbox.Org.ChangeEvents.KeepaliveInterval = TimeSpan.FromSeconds(1);
        var settings = new Dictionary<string, string?>(extra ?? [])
        {
            ["Connector:ChangeEvents:Enabled"] = "true",
            ["Connector:Billing:InvoiceOnActivation"] = invoiceOnActivation ? "true" : "false",
            ["Connector:Sync:PollInterval"] = "01:00:00",
            ["Connector:Sync:InvoiceRunSchedule"] = $"0 0 1 1 *",
            ["Connector:Sync:WriteBackIdleDelay"] = "00:01:00",
        };
        var host = await sandbox.PreparedHostAsync(settings, cancellationToken);
        var stop = new CancellationTokenSource();
        var run = host.Services.GetRequiredService<ServiceRunner>().RunAsync(stop.Token);
        var running = new Running(host, stop, run);

        // The start: the first poll, the run at start (three invoices written back), and every channel subscribed.
        await UntilAsync(async () => sandbox.Org.Locked(d => d.All("Connector_Invoice__c").Count) == 3
            && (await running.Channels()).Count(c => c.FallbackPolls >= 1) == host.Services.GetRequiredService<ChangeStreams>().Channels.Count, cancellationToken);
        return running;
    }

    private static Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken) => UntilAsync(() => Task.FromResult(condition()), cancellationToken);

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Wait);
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private sealed class Running(IHost host, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public async Task<IReadOnlyList<ChannelState>> Channels() => await host.Services.GetRequiredService<ChannelStore>().ListAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
            host.Dispose();
        }
    }
}
