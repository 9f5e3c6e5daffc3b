using Connector.Sync.Cycles;
using Connector.Sync.Leases;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;

namespace Connector.Sync.Tests.Storage;

/// <summary>Payments from the org, leases and cycle history, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task PaymentApplier_PaymentsFromTheOrg_AreAppliedOnceReversedWhenTheOrgSaysSoAndRefusedOnesQuarantined()
    {
        // Arrange: INV-000001 of 300.00; the org records a payment of 120.00 and one with too many decimals.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var payment = new Connector.Invoicing.Receivables.IncomingPayment("a1P1", "A1", 120m, Today, "INV-000001", Reversed: false);
        await IngestPaymentsAsync(payment, new Connector.Invoicing.Receivables.IncomingPayment("a1P2", "A1", 1.001m, Today, null, Reversed: false));
        var applier = new PaymentApplier(_db.Database, Books(), Journal());

        // Act
        var first = await applier.ApplyPendingAsync(Today, CancellationToken.None);
        var again = await applier.ApplyPendingAsync(Today, CancellationToken.None);
        var paid = await Balance();
        await IngestPaymentsAsync(payment with { Reversed = true });
        var reversal = await applier.ApplyPendingAsync(Today, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first.Applied, first.Quarantined.Single().RecordId), Is.EqualTo((1, "a1P2")));
            Assert.That(first.Quarantined.Single().Reason, Does.Contain("more decimals than EUR has"));
            Assert.That((again.Applied, again.Reversed, again.Quarantined.Count), Is.EqualTo((0, 0, 0)));
            Assert.That(paid.Paid.ToPlainString(), Is.EqualTo("120.00"));
            Assert.That(reversal.Reversed, Is.EqualTo(1));
            Assert.That((await Balance()).Paid.ToPlainString(), Is.EqualTo("0.00"));
        }

        async Task<Connector.Invoicing.Receivables.InvoiceBalance> Balance()
        {
            var ledger = (await Books().LoadAsync(["A1"], CancellationToken.None)).Book.Ledger;
            return ledger.BalanceOf(ledger.Invoice("INV-000001"), Today);
        }
    }

    [Test]
    public async Task PaymentApplier_PaymentOfAnAccountWithoutOrders_WaitsAndIsCountedForStatus()
    {
        await IngestPaymentsAsync(new Connector.Invoicing.Receivables.IncomingPayment("a1P9", "A9", 50m, Today, null, Reversed: false));

        var applied = await new PaymentApplier(_db.Database, Books(), Journal()).ApplyPendingAsync(Today, CancellationToken.None);
        var waiting = await new OrderStore(_db.Database, _time).PendingPaymentsAsync(CancellationToken.None);

        Assert.That((applied.Applied, applied.Quarantined.Count, waiting), Is.EqualTo((0, 0, 1)));
    }

    [Test]
    public async Task Lease_TwoHolders_OneAtATimeTakenOverWhenExpiredOrReleased()
    {
        // Arrange
        var leases = new LeaseStore(_db.Database, _time);
        var duration = TimeSpan.FromSeconds(30);

        // Act
        var a = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        var bWhileHeld = await leases.TryAcquireAsync("leader", "pod-b", duration, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        var aRenews = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        var renewed = await leases.FindAsync("leader", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        var bAfterExpiry = await leases.TryAcquireAsync("leader", "pod-b", duration, CancellationToken.None);
        var aLost = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);
        await leases.ReleaseAsync("leader", "pod-b", CancellationToken.None);
        var aAfterRelease = await leases.TryAcquireAsync("leader", "pod-a", duration, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((a, bWhileHeld, aRenews), Is.EqualTo((true, false, true)));
            Assert.That(renewed!.AcquiredAt, Is.EqualTo(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero)), "a renewal keeps the acquisition time");
            Assert.That((bAfterExpiry, aLost, aAfterRelease), Is.EqualTo((true, false, true)));
            Assert.That((await leases.FindAsync("leader", CancellationToken.None))!.Holder, Is.EqualTo("pod-a"));
        }
    }

    [Test]
    public async Task PruneCycles_OlderThanTheCutoff_AreForgottenNewerKept()
    {
        var operations = new CycleStore(_db.Database);
        var now = _time.GetUtcNow();
        await operations.RecordCycleAsync(new CycleRun("sync", now.AddDays(-40), now.AddDays(-40), "Succeeded", "{}", null), CancellationToken.None);
        await operations.RecordCycleAsync(new CycleRun("ingest", now.AddDays(-1), now.AddDays(-1), "Succeeded", "{}", null), CancellationToken.None);

        var pruned = await operations.PruneCyclesAsync(now.AddDays(-30), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pruned, Is.EqualTo(1));
            Assert.That((await operations.LastCyclesAsync(CancellationToken.None)).Select(c => c.Kind), Is.EqualTo(new[] { "ingest" }));
        }
    }
}
