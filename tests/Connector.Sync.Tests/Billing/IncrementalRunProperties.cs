using System.Globalization;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;
using Connector.Storage;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Sync.Tests.Billing;

/// <summary>
/// Runs load only the accounts whose next billing date or receivables change has come, or whose inputs changed
/// (<see cref="AccountWakes"/>). For generated histories (accounts, recurring and one-time lines, amendments, shortened
/// and lengthened lines, quantity changes, payments, runs at irregular dates and targets), the incremental path posts
/// exactly what a full reload of every account posts: the same invoices and credit notes, line by line, the same ledger
/// entries and the same write-back facts, on two SQLite files fed the same history (the full one forgets every wake date
/// before the payments' application and before each run, so both load everything).
/// </summary>
[TestFixture]
public sealed class IncrementalRunProperties
{
    private static readonly DateOnly Origin = new(2026, 1, 1);

    [Test]
    public void IncrementalRuns_AnyHistory_PostExactlyWhatFullReloadsPost()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(Histories().ToArbitrary(), steps => SameAsync(steps).GetAwaiter().GetResult()));
    }

    /// <summary>
    /// Long histories, mostly monthly runs and few payments: many invoices stay unpaid after their facts were told,
    /// which a run leaves closed in the store and counts as sums (<see cref="ReceivablesLedger.RestoreClosed"/>), until a
    /// credit, a payment, an amendment or a new line touches them.
    /// </summary>
    [Test]
    public void IncrementalRuns_LongHistoriesOfUnpaidInvoices_PostExactlyWhatFullReloadsPost()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Histories(12, 26, runs: 10).ToArbitrary(), steps => SameAsync(steps).GetAwaiter().GetResult()));
    }

    /// <summary>
    /// Long histories of paying accounts: payments name an invoice and pay all of it (or half), some are reversed later.
    /// An invoice paid whole by one payment stays in the store with it once its facts were told after it fell due, until
    /// a reversal, another payment or a credit touches it (<see cref="ClosedInvoices.SettledMinor"/>).
    /// </summary>
    [Test]
    public void IncrementalRuns_LongHistoriesOfPaidInvoices_PostExactlyWhatFullReloadsPost()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Histories(12, 26, runs: 10, paying: 4).ToArbitrary(), steps => SameAsync(steps).GetAwaiter().GetResult()));
    }

    /// <summary>
    /// Long histories of accounts that pay every invoice whole, each by its own payment naming it, now and then paying
    /// one half or reversing a payment: a payments' application then leaves unread the invoices of a closed prefix that
    /// such pairs pay whole, until a reversal, a half payment or a credit breaks one of them.
    /// </summary>
    [Test]
    public void IncrementalRuns_LongHistoriesOfAccountsPayingEverything_PostExactlyWhatFullReloadsPost()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Histories(12, 26, runs: 10, paying: 1, payingAll: 12).ToArbitrary(), steps => SameAsync(steps).GetAwaiter().GetResult()));
    }

    /// <summary>
    /// A history the long-history property found on 2026-12-04: an amendment lowering an arrears line's quantity by one
    /// is then set to quantity 0, keeping its (negative) total price. The engine skipped the line's June piece while no
    /// invoice of June existed and credited it on the next run once one did, which the incremental path, rightly taking a
    /// quantity-0 line for one that bills nothing, never woke for. A line of quantity 0 now bills nothing everywhere: its
    /// April and May reductions are charged back on the run that sees the change, as a full reload does.
    /// </summary>
    [Test]
    public async Task IncrementalRuns_AnAmendmentSetToQuantityZero_ReversesWhatItReduced_AsAFullReloadDoes()
    {
        var replay = new Replay(new Rnd(6474634828166824021UL, 17398840669563655331UL), FSharpOption<int>.Some(90));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1).WithReplay(FSharpOption<Replay>.Some(replay)),
            Prop.ForAll(Histories(12, 26, runs: 10).ToArbitrary(), steps => SameAsync(steps).GetAwaiter().GetResult()));

        await using var world = await World.CreateAsync();
        Step[] steps =
        [
            new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Arrears, 7, null, 2, 2_249.59m)),
            new Amend(0, 4, -1),
            new Run(120, 0),
            new ChangeQuantity(1, 0),
            new Run(0, -1),
            new Run(30, 0),
        ];
        foreach (var step in steps)
        {
            await world.ApplyAsync(step, full: false);
        }

        var posted = await world.PostedAsync();
        Assert.That(posted.Where(p => p.StartsWith("E 901802000 ", StringComparison.Ordinal)).Sum(p => long.Parse(p.Split(' ')[4], CultureInfo.InvariantCulture)), Is.Zero,
            "the amendment's reductions are reversed, and it credits no later period: " + string.Join(Environment.NewLine, posted));
    }

    [Test]
    public async Task ARunWithNothingDue_LoadsNoAccount_AndEachKindOfChangeWakesItsAccount()
    {
        await using var world = await World.CreateAsync();
        await world.ApplyAsync(new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Advance, 0, null, 2, 1_200m)), full: false);
        await world.ApplyAsync(new AddLine(1, Recurring(BillingFrequency.Annual, BillingTiming.Advance, 0, null, 1, 900m)), full: false);
        await world.ApplyAsync(new Run(0, 0), full: false);
        var on = world.Today;

        Assert.That(await world.AccountsToRunAsync(on, on), Is.Empty, "everything due was billed");
        Assert.That(await world.AccountsToRunAsync(new DateOnly(2026, 2, 1), on), Is.EqualTo(new[] { "A0" }), "the monthly line's next period");
        Assert.That(await world.AccountsToRunAsync(on, new DateOnly(2026, 2, 1)), Is.EqualTo(new[] { "A0", "A1" }), "both invoices fall due on 2026-01-31");

        await world.ApplyAsync(new Pay(1, 10m), full: false);
        Assert.That(await world.AccountsToRunAsync(on, on), Is.Empty, "a payment received changes receivables only: its application saves them, and billing has nothing new");
        await world.ApplyAsync(new Run(0, 0), full: false);
        Assert.That(await world.AppliedPaymentsAsync(), Is.EqualTo(new[] { "P000 A1 1000" }), "the run's cycle applied it");
        Assert.That(await world.AccountsToRunAsync(on, on), Is.Empty);

        await world.ApplyAsync(new ChangeEnd(0, 40), full: false);
        Assert.That(await world.AccountsToRunAsync(on, on), Is.EqualTo(new[] { "A0" }), "a line changed");
    }

    [Test]
    public async Task AFutureAmendmentLoweringAQuantity_WhenItFallsDue_IsCreditedAgainstTheInvoiceOfItsPeriod_AsAFullReloadDoes()
    {
        // Arrange: January is billed; an amendment stored on the 5th lowers the quantity by one from the 20th. The run on the
        // 5th keeps the day the account's entries are settled before; the run on the 20th loads only the open ones.
        Step[] steps =
        [
            new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Advance, 0, null, 2, 1_200m)),
            new Run(0, 0),
            new Amend(0, 19, -1),
            new Run(4, 0),
            new Run(15, 0),
        ];
        await using var incremental = await World.CreateAsync();
        await using var full = await World.CreateAsync();
        string? settledBefore = null;
        foreach (var step in steps)
        {
            await incremental.ApplyAsync(step, full: false);
            await full.ApplyAsync(step, full: true);
            settledBefore ??= step is Run { Days: 4 } ? await incremental.SettledBeforeAsync("A0") : null;
        }

        // Act
        var (a, b) = (await incremental.PostedAsync(), await full.PostedAsync());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settledBefore, Is.EqualTo("2026-01-20"), "the amendment's first piece is the first open one");
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.Count(p => p.StartsWith("C ", StringComparison.Ordinal) && p.Contains(" INV-000001 ", StringComparison.Ordinal)), Is.EqualTo(1),
                "one credit note line against January's invoice");
        }
    }

    [Test]
    public async Task MonthlyRuns_LoadOnlyTheEntriesOfOpenPeriods_AndPostWhatAFullReloadPosts()
    {
        // Arrange: a monthly line billed for six months.
        await using var incremental = await World.CreateAsync();
        await using var full = await World.CreateAsync();
        Step[] steps = [new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Advance, 0, null, 1, 1_200m)), .. Enumerable.Repeat<Step>(new Run(-1, 0), 6)];
        foreach (var step in steps)
        {
            await incremental.ApplyAsync(step, full: false);
            await full.ApplyAsync(step, full: true);
        }

        // Act: a run's load of the account.
        var loaded = await incremental.Books().LoadAsync(["A0"], null, openEntriesOnly: true, CancellationToken.None);
        var whole = await incremental.Books().LoadAsync(["A0"], CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await incremental.PostedAsync(), Is.EqualTo(await full.PostedAsync()));
            Assert.That(whole.Book.EntryLog, Has.Count.EqualTo(7), "January to July");
            Assert.That(loaded.Book.EntryLog, Is.Empty, "every billed month is settled: the next open piece is August's");
            Assert.That(loaded.Book.NextBillDates()["A0"], Is.EqualTo(whole.Book.NextBillDates()["A0"]));
        }
    }

    [Test]
    public async Task ALineStoredBetweenALoadAndItsSave_KeepsItsAccountDue()
    {
        // Arrange: everything due is billed; a runner loads the account, and meanwhile a new line due today is stored.
        await using var world = await World.CreateAsync();
        await world.ApplyAsync(new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Advance, 0, null, 1, 1_200m)), full: false);
        await world.ApplyAsync(new Run(0, 0), full: false);
        var on = world.Today;
        var books = world.Books();
        var loaded = await books.LoadAsync(["A0"], CancellationToken.None);
        await world.ApplyAsync(new AddLine(0, Recurring(BillingFrequency.Monthly, BillingTiming.Advance, 0, null, 1, 600m)), full: false);

        // Act: the runner bills the book it loaded (without the new line) and saves.
        loaded.Book.Run(on, on, dryRun: false, loaded.AccountIds);
        loaded.RanWhole = true;
        await books.SaveAsync(loaded, on, CancellationToken.None);
        var due = await world.AccountsToRunAsync(on, on);
        await world.ApplyAsync(new Run(0, 0), full: false);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(due, Is.EqualTo(new[] { "A0" }), "the save's dates were computed without the new line, so they are not kept");
            Assert.That(await world.AccountsToRunAsync(on, on), Is.Empty, "the next run billed the new line");
            Assert.That((await world.PostedAsync()).Count(p => p.StartsWith("I ", StringComparison.Ordinal) && p.Contains(" 802001 ", StringComparison.Ordinal)), Is.EqualTo(1));
        }
    }

    private static async Task<bool> SameAsync(IReadOnlyList<Step> steps)
    {
        await using var incremental = await World.CreateAsync();
        await using var full = await World.CreateAsync();
        foreach (var step in steps)
        {
            await incremental.ApplyAsync(step, full: false);
            await full.ApplyAsync(step, full: true);
        }

        var (a, b) = (await incremental.PostedAsync(), await full.PostedAsync());
        if (!a.SequenceEqual(b))
        {
            var first = a.Zip(b).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            TestContext.Out.WriteLine($"steps: {string.Join("; ", steps)}");
            TestContext.Out.WriteLine($"first difference at {first.i}: incremental {first.p.First} / full {first.p.Second} (counts {a.Count} / {b.Count})");
            return false;
        }

        return true;
    }

    /// <param name="fewest">The fewest steps after the first lines.</param>
    /// <param name="most">The most steps after the first lines.</param>
    /// <param name="runs">How often a run comes, against the other steps' weights.</param>
    /// <param name="paying">How often an invoice is paid by a payment naming it, or a payment is reversed (0: never, and the other steps are drawn as before).</param>
    /// <param name="payingAll">How often (with <paramref name="paying"/>) an account pays every invoice no payment pays yet, each whole by its own payment.</param>
    private static Gen<IReadOnlyList<Step>> Histories(int fewest = 4, int most = 14, int runs = 5, int paying = 0, int payingAll = 0) =>
        from accounts in Gen.Choose(1, 4)
        from first in Gen.Choose(1, 3).SelectMany(n => LineOf(accounts).ListOf(n))
        from rest in Gen.Choose(fewest, most).SelectMany(n => (paying == 0 ? StepOf(accounts, runs) : Gen.Frequency(
            (10, StepOf(accounts, runs)),
            (paying, from account in Gen.Choose(0, accounts - 1) from invoice in Gen.Choose(0, 30) from half in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
                     select (Step)new PayInvoice(account, invoice, half)),
            (payingAll, Gen.Choose(0, accounts - 1).Select(account => (Step)new PayAll(account))),
            (1, Gen.Choose(0, 30).Select(payment => (Step)new Reverse(payment))))).ListOf(n))
        select (IReadOnlyList<Step>)[.. first, .. rest];

    private static Gen<Step> LineOf(int accounts) =>
        from account in Gen.Choose(0, accounts - 1)
        from kind in Gen.Choose(0, 9)
        from frequency in Gen.Elements(BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Annual)
        from timing in Gen.Elements(BillingTiming.Advance, BillingTiming.Advance, BillingTiming.Arrears)
        from start in Gen.Choose(-20, 60)
        from length in Gen.Choose(0, 3).SelectMany(open => open == 0 ? Gen.Constant((int?)null) : Gen.Choose(20, 500).Select(d => (int?)d))
        from quantity in Gen.Choose(1, 4)
        from cents in Gen.Choose(1_000, 500_000)
        select (Step)new AddLine(account, kind < 8
            ? Recurring(frequency, timing, start, length, quantity, cents / 100m)
            : new LineSpec(ChargeType.OneTime, null, BillingTiming.Advance, start, null, quantity, cents / 100m));

    private static Gen<Step> StepOf(int accounts, int runs) => Gen.Frequency(
        (runs, from days in Gen.Choose(-1, 45) from ahead in Gen.Choose(-3, 3).Select(d => d < 0 ? 0 : d * 10 - 1) select (Step)new Run(days, ahead)),
        (2, LineOf(accounts)),
        (2, from line in Gen.Choose(0, 40) from days in Gen.Choose(-45, 90) select (Step)new ChangeEnd(line, days)),
        (1, from line in Gen.Choose(0, 40) from quantity in Gen.Choose(0, 6) select (Step)new ChangeQuantity(line, quantity)),
        (2, from line in Gen.Choose(0, 40) from days in Gen.Choose(0, 60) from quantity in Gen.Choose(-2, 3) select (Step)new Amend(line, days, quantity)),
        (1, from account in Gen.Choose(0, accounts - 1) from cents in Gen.Choose(1_000, 300_000) select (Step)new Pay(account, cents / 100m)));

    private static LineSpec Recurring(BillingFrequency frequency, BillingTiming timing, int start, int? length, int quantity, decimal total) =>
        new(ChargeType.Recurring, frequency, timing, start, length, quantity, total);

    /// <summary>One event of a history: days and line numbers are relative, so any generated step applies.</summary>
    private abstract record Step;

    /// <summary>
    /// Advance the clock by <paramref name="Days"/> (-1: to the next month's first day, where billing dates fall) and run
    /// with the target date <paramref name="Ahead"/> days ahead (-1: the next month's first day).
    /// </summary>
    private sealed record Run(int Days, int Ahead) : Step;

    private sealed record AddLine(int Account, LineSpec Line) : Step;

    /// <summary>The line's end moves to <paramref name="Days"/> after today (a cancellation or a renewal).</summary>
    private sealed record ChangeEnd(int Line, int Days) : Step;

    private sealed record ChangeQuantity(int Line, int Quantity) : Step;

    /// <summary>An amending order: the line's quantity changes by <paramref name="Quantity"/> (CPQ's amendment products carry the difference) from <paramref name="Days"/> after its start.</summary>
    private sealed record Amend(int Line, int Days, int Quantity) : Step;

    private sealed record Pay(int Account, decimal Amount) : Step;

    /// <summary>A payment naming the account's <paramref name="Invoice"/>-th invoice (modulo how many it has) of all its payable, or half.</summary>
    private sealed record PayInvoice(int Account, int Invoice, bool Half) : Step;

    /// <summary>The account pays each of its invoices no payment pays yet, whole, each by a payment naming it.</summary>
    private sealed record PayAll(int Account) : Step;

    /// <summary>The org marks the <paramref name="Payment"/>-th payment (modulo how many there are) reversed.</summary>
    private sealed record Reverse(int Payment) : Step;

    private sealed record LineSpec(ChargeType ChargeType, BillingFrequency? Frequency, BillingTiming Timing, int Start, int? Length, int Quantity, decimal Total);

    /// <summary>A database, a clock and the stores of one connector, fed a history step by step.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly TestDatabase _db;
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 6, 0, 0, TimeSpan.Zero));
        private readonly List<BillableLine> _lines = [];
        private readonly List<IncomingPayment> _payments = [];

        private World(TestDatabase db) => _db = db;

        public DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

        public static async Task<World> CreateAsync()
        {
            var world = new World(TestDatabase.Sqlite());
            await new Migrator(world._db.Database, world._time).MigrateAsync(CancellationToken.None);
            return world;
        }

        public async Task ApplyAsync(Step step, bool full)
        {
            var changes = new OrderChanges { Source = "Order" };
            switch (step)
            {
                case Run run:
                    _time.Advance(TimeSpan.FromDays(run.Days >= 0 ? run.Days : NextMonth(Today).DayNumber - Today.DayNumber));
                    if (full)
                    {
                        // Nothing told is known: the payments' application and the run load everything.
                        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
                        await connection.ExecuteAsync("DELETE FROM account_wake");
                    }

                    await new PaymentApplier(_db.Database, Books(), Journal()).ApplyPendingAsync(Today, CancellationToken.None);
                    if (full)
                    {
                        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
                        await connection.ExecuteAsync("DELETE FROM account_wake");
                    }

                    await new InvoiceRunner(Books(), new BillingClock(_time, Microsoft.Extensions.Options.Options.Create(new BillingOptions())))
                        .RunAsync(run.Ahead >= 0 ? Today.AddDays(run.Ahead) : NextMonth(Today), dryRun: false, CancellationToken.None);
                    return;
                case AddLine add:
                    var id = _lines.Count.ToString("000", CultureInfo.InvariantCulture);
                    var account = "A" + add.Account.ToString(CultureInfo.InvariantCulture);
                    changes.Accounts.Add(new BillingAccount(account, "Account " + account, Country: "ES"));
                    changes.Orders.Add(new OrderHeader("801" + id, "0" + id, account, "EUR", 30));
                    var spec = add.Line;
                    var start = Today.AddDays(spec.Start);
                    Store(changes, new BillableLine
                    {
                        LineId = "802" + id, OrderId = "801" + id, ProductName = "Product " + id, ChargeType = spec.ChargeType, Frequency = spec.Frequency,
                        Timing = spec.Timing, Quantity = spec.Quantity, TotalPrice = spec.Total, StartDate = start,
                        EndDate = spec.Length is { } length ? start.AddDays(length) : null, TaxRatePercent = 21m,
                    });
                    break;
                case ChangeEnd change when _lines.Count > 0:
                    var ended = _lines[change.Line % _lines.Count];
                    Store(changes, ended with { EndDate = Later(ended.StartDate, Today.AddDays(change.Days)) });
                    break;
                case ChangeQuantity change when _lines.Count > 0:
                    Store(changes, _lines[change.Line % _lines.Count] with { Quantity = change.Quantity });
                    break;
                case Amend amend when _lines.Count > 0:
                    var revised = _lines[amend.Line % _lines.Count];
                    var amendment = "9" + _lines.Count.ToString("00", CultureInfo.InvariantCulture) + revised.LineId;
                    changes.Orders.Add(new OrderHeader("8" + amendment, "A" + amendment, AccountOf(revised), "EUR", 30));
                    Store(changes, revised with
                    {
                        LineId = amendment, OrderId = "8" + amendment, RevisesLineId = revised.LineId, Quantity = amend.Quantity,
                        TotalPrice = revised.Quantity == 0m ? revised.TotalPrice : revised.TotalPrice * amend.Quantity / revised.Quantity,
                        StartDate = Later(revised.StartDate, revised.StartDate.AddDays(amend.Days)),
                    });
                    break;
                case Pay pay:
                    changes.Payments.Add(Received(new IncomingPayment("P" + _payments.Count.ToString("000", CultureInfo.InvariantCulture), "A" + pay.Account.ToString(CultureInfo.InvariantCulture),
                        pay.Amount, Today, null, false)));
                    break;
                case PayInvoice pay:
                    var payer = "A" + pay.Account.ToString(CultureInfo.InvariantCulture);
                    List<(string Number, long Payable)> invoices;
                    await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
                    {
                        invoices = [.. await connection.QueryAsync<(string, long)>(
                            "SELECT number, net_minor + tax_minor - withheld_minor FROM invoice WHERE account_id = @payer AND net_minor + tax_minor - withheld_minor > 1 ORDER BY number", new { payer })];
                    }

                    if (invoices.Count == 0)
                    {
                        return;
                    }

                    var (number, payable) = invoices[pay.Invoice % invoices.Count];
                    changes.Payments.Add(Received(new IncomingPayment("P" + _payments.Count.ToString("000", CultureInfo.InvariantCulture), payer,
                        (pay.Half ? payable / 2 : payable) / 100m, Today, number, false)));
                    break;
                case PayAll pay:
                    await PayAllAsync("A" + pay.Account.ToString(CultureInfo.InvariantCulture), changes);
                    break;
                case Reverse reverse when _payments.Count > 0:
                    changes.Payments.Add(_payments[reverse.Payment % _payments.Count] with { Reversed = true });
                    break;
                default:
                    return;
            }

            await new OrderStore(_db.Database, _time).SaveAsync(changes, CancellationToken.None);
        }

        public async Task<string?> SettledBeforeAsync(string accountId)
        {
            await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<string?>("SELECT settled_before FROM account_wake WHERE account_id = @accountId", new { accountId });
        }

        /// <summary>The payments the ledger recorded: id, account and amount in cents.</summary>
        public async Task<IReadOnlyList<string>> AppliedPaymentsAsync()
        {
            await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
            return [.. await connection.QueryAsync<string>("SELECT id || ' ' || account_id || ' ' || amount_minor FROM payment ORDER BY id")];
        }

        public Task<IReadOnlyList<string>> AccountsToRunAsync(DateOnly target, DateOnly on) => Books().AccountsToRunAsync(target, on, CancellationToken.None);

        /// <summary>What was posted and queued: documents line by line, ledger entries, and write-back facts (in a stable order).</summary>
        public async Task<IReadOnlyList<string>> PostedAsync()
        {
            await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
            var invoices = await connection.QueryAsync<string>("""
                SELECT 'I ' || i.number || ' ' || i.account_id || ' ' || i.issue_date || ' ' || i.due_date || ' ' || i.total_minor || ' | ' || l.line_number || ' ' || l.order_line_id || ' ' || l.period_start || ' ' || l.period_end || ' ' || l.net_minor
                FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id ORDER BY i.number, l.line_number
                """);
            var notes = await connection.QueryAsync<string>("""
                SELECT 'C ' || n.number || ' ' || n.account_id || ' ' || COALESCE(n.corrects_number, '-') || ' ' || n.total_minor || ' | ' || l.line_number || ' ' || l.order_line_id || ' ' || l.net_minor
                FROM credit_note n JOIN credit_note_line l ON l.credit_note_id = n.id ORDER BY n.number, l.line_number
                """);
            var entries = await connection.QueryAsync<string>("""
                SELECT 'E ' || line_id || ' ' || piece_start || ' ' || period_end || ' ' || net_minor || ' ' || document_number FROM billing_entry ORDER BY line_id, piece_start, id
                """);
            var facts = await connection.QueryAsync<string>("SELECT 'F ' || topic || ' ' || entity_key || ' ' || payload FROM outbox");
            return [.. invoices, .. notes, .. entries, .. facts.Order(StringComparer.Ordinal)];
        }

        public async ValueTask DisposeAsync() => await _db.DisposeAsync();

        private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

        private static DateOnly NextMonth(DateOnly day) => new DateOnly(day.Year, day.Month, 1).AddMonths(1);

        /// <summary>Pays each invoice of the account no allocation pays yet, whole, each by a payment naming it.</summary>
        private async Task PayAllAsync(string accountId, OrderChanges changes)
        {
            await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
            var unpaid = await connection.QueryAsync<(string Number, long Payable)>("""
                SELECT number, net_minor + tax_minor - withheld_minor FROM invoice i
                WHERE  account_id = @accountId AND net_minor + tax_minor - withheld_minor > 0
                  AND  NOT EXISTS (SELECT 1 FROM allocation a WHERE a.invoice_number = i.number)
                ORDER BY number
                """, new { accountId });
            foreach (var (number, payable) in unpaid)
            {
                changes.Payments.Add(Received(new IncomingPayment("P" + _payments.Count.ToString("000", CultureInfo.InvariantCulture), accountId, payable / 100m, Today, number, false)));
            }
        }

        private IncomingPayment Received(IncomingPayment payment)
        {
            _payments.Add(payment);
            return payment;
        }

        private string AccountOf(BillableLine line) => _accountsByOrder[line.OrderId];

        private readonly Dictionary<string, string> _accountsByOrder = new(StringComparer.Ordinal);

        private void Store(OrderChanges changes, BillableLine line)
        {
            foreach (var order in changes.Orders)
            {
                _accountsByOrder[order.OrderId] = order.AccountId;
            }

            changes.Lines.Add(line);
            var known = _lines.FindIndex(l => l.LineId == line.LineId);
            if (known >= 0)
            {
                _lines[known] = line;
            }
            else
            {
                _lines.Add(line);
            }
        }

        public BookStore Books() => new(_db.Database, _time, Microsoft.Extensions.Options.Options.Create(new BillingOptions()), Journal());

        private SyncPostingJournal Journal() => new(new FactsProjector(_db.Database, _time), new QuarantineStore(_db.Database, _time));
    }
}
