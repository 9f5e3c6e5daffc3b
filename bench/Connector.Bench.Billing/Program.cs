using System.Diagnostics;
using System.Globalization;
using Connector.Invoicing;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Invoice runs at scale on the embedded SQLite store: ACCOUNTS accounts with LINES recurring lines in all (monthly,
// quarterly and annual, advance and arrears, some starting mid-month), billed by the real runner in batches of
// 1,000 accounts. Prints the time of a first run, a repeat run that finds nothing new, and the next month's run, and,
// measured in the same run, how reading what was billed line by line (one query per line) compares with the
// batched read the runner does.
// Usage: dotnet run -c Release --project bench/Connector.Bench.Billing -- [lines=100000] [accounts=20000]
var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var accounts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var directory = Directory.CreateTempSubdirectory("connector-billing-bench-");
var database = Path.Combine(directory.FullName, "bench.db");
try
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Connector:Storage:ConnectionString"] = $"Data Source={database}",
    }).Build();
    var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddInvoicing();
    var now = new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
    services.AddSingleton<TimeProvider>(time);
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);

    var clock = Stopwatch.StartNew();
    await SeedAsync(provider.GetRequiredService<IngestStore>(), lines, accounts);
    Console.WriteLine(Invariant($"seeded {lines:N0} lines in {accounts:N0} accounts in {clock.Elapsed.TotalSeconds:0.0} s"));

    var runner = provider.GetRequiredService<InvoiceRunner>();
    var first = await TimeAsync(() => runner.RunAsync(new DateOnly(2026, 3, 1), false, CancellationToken.None));
    var repeat = await TimeAsync(() => runner.RunAsync(new DateOnly(2026, 3, 1), false, CancellationToken.None));
    time.SetUtcNow(now.AddMonths(1));
    var next = await TimeAsync(() => runner.RunAsync(new DateOnly(2026, 4, 1), false, CancellationToken.None));
    Report("first run (2026-03-01)", first);
    Report("repeat run, nothing new", repeat);
    Report("next month (2026-04-01)", next);

    // Reading what was billed: one query per line versus the runner's chunked IN list, same 2,000 lines, same run.
    await using var connection = new SqliteConnection($"Data Source={database}");
    await connection.OpenAsync();
    var sample = (await connection.QueryAsync<string>("SELECT line_id FROM order_line ORDER BY line_id LIMIT 2000")).ToList();
    clock.Restart();
    var perLine = 0;
    foreach (var id in sample)
    {
        perLine += (await connection.QueryAsync("SELECT * FROM billing_entry WHERE line_id = @Id", new { Id = id })).Count();
    }

    var perLineTime = clock.Elapsed;
    clock.Restart();
    var batched = 0;
    foreach (var chunk in sample.Chunk(500))
    {
        batched += (await connection.QueryAsync("SELECT * FROM billing_entry WHERE line_id IN @Ids", new { Ids = chunk })).Count();
    }

    var batchedTime = clock.Elapsed;
    Console.WriteLine(Invariant($"billed entries of 2,000 lines: one query per line {perLineTime.TotalMilliseconds:0} ms ({sample.Count} queries), batched {batchedTime.TotalMilliseconds:0} ms ({(sample.Count + 499) / 500} queries): {perLineTime / batchedTime:0.0}x; same rows: {perLine == batched}"));
    Console.WriteLine(Invariant($"repeat run / first run time: {repeat.Elapsed / first.Elapsed:0.00}"));
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

static async Task<(InvoiceRunResult Result, TimeSpan Elapsed)> TimeAsync(Func<Task<InvoiceRunResult>> run)
{
    var clock = Stopwatch.StartNew();
    var result = await run();
    return (result, clock.Elapsed);
}

static void Report(string name, (InvoiceRunResult Result, TimeSpan Elapsed) run)
{
    var lineCount = run.Result.Invoices.Sum(i => i.Lines.Count);
    Console.WriteLine(Invariant($"{name,-26} {run.Elapsed.TotalSeconds,6:0.0} s  {run.Result.Invoices.Count,7:N0} invoices  {lineCount,8:N0} invoice lines  {run.Result.CreditNotes.Count} credit notes"));
}

static async Task SeedAsync(IngestStore store, int lines, int accounts)
{
    var frequencies = new[] { BillingFrequency.Monthly, BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Annual };
    var random = new Random(20261123);
    const int AccountsPerBatch = 500;
    for (var first = 0; first < accounts; first += AccountsPerBatch)
    {
        var batch = new IngestBatch { ObjectName = "Order" };
        for (var a = first; a < Math.Min(accounts, first + AccountsPerBatch); a++)
        {
            var accountId = Invariant($"001{a:000000000000000}");
            var orderId = Invariant($"801{a:000000000000000}");
            batch.Accounts.Add(new BillingAccount(accountId, Invariant($"Customer {a}"), Country: "ES"));
            batch.Orders.Add(new OrderHeader(orderId, Invariant($"{a:00000000}"), accountId, "EUR", 30));
            var perAccount = lines / accounts + (a < lines % accounts ? 1 : 0);
            for (var l = 0; l < perAccount; l++)
            {
                var start = new DateOnly(2025, 10, 1).AddDays(random.Next(0, 120));
                batch.Lines.Add(new BillableLine
                {
                    LineId = Invariant($"802{a:0000000000000}{l:00}"),
                    OrderId = orderId,
                    ProductName = "Subscription",
                    ChargeType = ChargeType.Recurring,
                    Frequency = frequencies[random.Next(frequencies.Length)],
                    Timing = random.Next(4) == 0 ? BillingTiming.Arrears : BillingTiming.Advance,
                    Quantity = random.Next(1, 20),
                    TotalPrice = random.Next(1_200, 120_000),
                    StartDate = start,
                    EndDate = start.AddYears(1).AddDays(-1),
                    TaxRatePercent = 21m,
                });
            }
        }

        await store.CommitAsync(batch, CancellationToken.None);
    }
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
