using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Connector.EndToEnd.Tests;

/// <summary>The loops of <c>connector run</c> on a fake clock: ingest on its interval, invoice runs only on the cron schedule.</summary>
[TestFixture]
public sealed class ScheduleTests
{
    [Test, CancelAfter(90_000)]
    public async Task Run_NewOrderIngestedDuringTheDay_IsBilledAtTheNextScheduledRunNotBefore(CancellationToken cancellationToken)
    {
        // Arrange: a fake clock starting now (the sandbox checks JWT expiry on the real clock); invoice runs daily at
        // the full hour six hours ahead (UTC); ingest every ten minutes.
        using var sandbox = new SandboxHarness();
        var start = TimeProvider.System.GetUtcNow();
        var clock = new FakeTimeProvider(start);
        var runHour = (start.Hour + 6) % 24;
        var nextRun = new DateTimeOffset(start.Date, TimeSpan.Zero).AddHours(start.Hour + 6);
        using var host = sandbox.BuildHost(
            new Dictionary<string, string?>
            {
                ["Connector:Sync:PollInterval"] = "00:10:00",
                ["Connector:Sync:InvoiceRunSchedule"] = $"0 {runHour} * * *",
                ["Connector:Sync:WriteBackIdleDelay"] = "00:00:01",
                ["Connector:Sync:LeaseDuration"] = "00:10:00",
            },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var invoices = host.Services.GetRequiredService<InvoiceStore>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = host.Services.GetRequiredService<ServiceRunner>().RunAsync(stop.Token);

        // Act 1: the run at start bills what is due.
        var startRun = await AdvanceUntilAsync(clock, TimeSpan.FromSeconds(1), async () => (await invoices.ListAsync(cancellationToken)).Count == 3, cancellationToken);

        // Act 2: an order whose service starts on the next run's date arrives; the ingest stores it, but nothing bills it before the run.
        var runDate = DateOnly.FromDateTime(nextRun.UtcDateTime);
        AddOneTimeOrder(sandbox, runDate);
        clock.Advance(TimeSpan.FromMinutes(10));
        var ingested = await EventuallyAsync(async () => (await host.Services.GetRequiredService<InvoiceStore>().LoadBillableOrdersAsync(cancellationToken)).Count == 4, cancellationToken);
        clock.Advance(nextRun - clock.GetUtcNow() - TimeSpan.FromMinutes(30));
        var heartbeat = host.Services.GetRequiredService<LoopHeartbeat>();
        var caughtUp = await EventuallyAsync(() => Task.FromResult(heartbeat.LastCycleEnded >= clock.GetUtcNow()), cancellationToken); // the loops have seen the new time
        var before = (await invoices.ListAsync(cancellationToken)).Count;

        // Act 3: the scheduled hour.
        var scheduled = await AdvanceUntilAsync(clock, TimeSpan.FromMinutes(10), async () => (await invoices.ListAsync(cancellationToken)).Count == 4, cancellationToken);
        await stop.CancelAsync();
        await run;

        // Assert
        var last = (await invoices.ListAsync(cancellationToken))[^1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(startRun, Is.True, "the run at start billed the seeded orders");
            Assert.That(ingested, Is.True, "the hourly ingest stored the new order");
            Assert.That(caughtUp, Is.True, "the ingest loop ran at the advanced time");
            Assert.That(before, Is.EqualTo(3), "nothing is billed between scheduled runs");
            Assert.That(scheduled, Is.True, "the scheduled run billed the new order");
            Assert.That(last.IssueDate, Is.EqualTo(runDate));
            Assert.That(clock.GetUtcNow(), Is.GreaterThanOrEqualTo(nextRun).And.LessThan(nextRun.AddHours(1)));
        }
    }

    private static void AddOneTimeOrder(SandboxHarness sandbox, DateOnly serviceDate)
    {
        var data = sandbox.Org.Data;
        var account = data.All("Account")[0]["Id"]!.GetValue<string>();
        var product = data.All("Product2")[0]["Id"]!.GetValue<string>();
        var date = serviceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var order = data.Insert("Order", new JsonObject
        {
            ["OrderNumber"] = "00000106", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = date,
        });
        data.Insert("OrderItem", new JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 99, ["TotalPrice"] = 99, ["ServiceDate"] = date,
            ["SBQQ__ChargeType__c"] = "One-Time",
        });
    }

    /// <summary>Moves the fake clock in steps, letting the loops run between steps, until the condition holds.</summary>
    private static async Task<bool> AdvanceUntilAsync(FakeTimeProvider clock, TimeSpan step, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return true;
            }

            clock.Advance(step);
            await Task.Delay(50, cancellationToken);
        }

        return false;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50, cancellationToken);
        }

        return false;
    }
}
