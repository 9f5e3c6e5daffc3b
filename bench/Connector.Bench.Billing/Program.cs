using Connector.Storage;
using Connector.Sync.Cycles;
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
using Npgsql;

// Invoice runs at scale: ACCOUNTS accounts with LINES recurring lines in all (monthly, quarterly and annual, advance
// and arrears, some starting mid-month), billed by the real runner in batches of 1,000 accounts. Prints the time of a
// first run, a repeat run that finds nothing new, and the next month's run on the embedded SQLite store and, when a
// PostgreSQL server is given (CONNECTOR_BENCH_POSTGRES, or CONNECTOR_TEST_POSTGRES, a connection string to a server
// where a database may be created), on PostgreSQL too, with the same data, side by side. Also measured in the same
// run: how reading what was billed line by line (one query per line) compares with the batched read the runner does.
// With --figures (as bench/run calls it) the text goes to stderr and stdout carries the shared JSON figures, on SQLite:
// invoice-run.first beside the raw insert of the same rows into the same schema (one prepared statement per table, one
// transaction), invoice-run.noop, and invoice-run.month13 beside the first regular month after twelve monthly runs.
// With --figures --paying, every invoice is paid the day after its issue, and the 13th month is printed as
// invoice-run.month13.paying: what a history of paid invoices costs a run.
// The first run is on 1 January 2026 (the lines started in the five months before it), the first regular month is
// February 2026 and the 13th February 2027. Orders are due 30 days after issue, and with runs on the 1st how many months'
// invoices fall due by a run depends on the lengths of the months before it (by any April, February's and March's do).
// Both Februarys see exactly January's fall due, so the 13th month carries the first regular month's due work and the
// ratio tells what history costs. With --terms=DAYS orders are due that many days after issue, and the 13th month is
// printed alone, as invoice-run.month13.netDAYS. With --first-run=yyyy-MM-01 the first run is on that day instead, and
// the 13th month is printed alone, as invoice-run.month13.fromyyyy-MM (from 2026-03-01, as before the fifth session:
// April 2027 then sees February's invoices and March's fall due, April 2026 only March's). With --months=N (more than
// 13) the monthly runs go on to the Nth month, printed beside the 13th as invoice-run.monthN: what a second year of
// history costs a run.
// Usage: dotnet run -c Release --project bench/Connector.Bench.Billing -- [lines=100000] [accounts=20000] [--figures [--paying] [--terms=DAYS] [--first-run=yyyy-MM-01] [--months=N]]
var figures = args.Contains("--figures");
var paying = args.Contains("--paying");
var terms = 30;
if (args.FirstOrDefault(a => a.StartsWith("--terms=", StringComparison.Ordinal)) is { } given
    && !(int.TryParse(given["--terms=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out terms) && terms is > 0 and <= 365))
{
    Console.Error.WriteLine($"{given}: the payment terms are a number of days from 1 to 365");
    Environment.ExitCode = 2;
    return;
}

if (args.FirstOrDefault(a => a.StartsWith("--months=", StringComparison.Ordinal)) is { } count
    && !(int.TryParse(count["--months=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out Months) && Months is >= 2 and <= 120))
{
    Console.Error.WriteLine($"{count}: the monthly runs after the first are a number from 2 to 120");
    Environment.ExitCode = 2;
    return;
}

if (args.FirstOrDefault(a => a.StartsWith("--first-run=", StringComparison.Ordinal)) is { } day)
{
    if (!DateOnly.TryParseExact(day["--first-run=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var firstRun) || firstRun.Day != 1)
    {
        Console.Error.WriteLine($"{day}: the first run is on the first day of a month, written yyyy-MM-01");
        Environment.ExitCode = 2;
        return;
    }

    FirstRunDay = firstRun;
}

args = [.. args.Where(a => a is not "--figures" and not "--paying" && !a.StartsWith("--terms=", StringComparison.Ordinal) && !a.StartsWith("--first-run=", StringComparison.Ordinal)
    && !a.StartsWith("--months=", StringComparison.Ordinal))];
if (figures)
{
    BenchOutput.Out = Console.Out;
    Console.SetOut(Console.Error);
}

var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var accounts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var postgresServer = Environment.GetEnvironmentVariable("CONNECTOR_BENCH_POSTGRES") is { Length: > 0 } bench
    ? bench
    : Environment.GetEnvironmentVariable("CONNECTOR_TEST_POSTGRES");

var directory = Directory.CreateTempSubdirectory("connector-billing-bench-");
var database = Path.Combine(directory.FullName, "bench.db");
var results = new List<(string Engine, EngineRuns Runs)>();
try
{
    results.Add(("SQLite", await BenchAsync(StorageProvider.Sqlite, $"Data Source={database}", lines, accounts, figures ? directory.FullName : null, paying, terms)));
    await CompareReadsAsync(database);
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

if (string.IsNullOrWhiteSpace(postgresServer))
{
    Console.WriteLine("PostgreSQL: not measured (set CONNECTOR_BENCH_POSTGRES to a server's connection string)");
}
else
{
    var name = Invariant($"connector_bench_{Guid.NewGuid():N}");
    await AdminAsync(postgresServer, $"CREATE DATABASE {name}");
    try
    {
        var connectionString = new NpgsqlConnectionStringBuilder(postgresServer) { Database = name }.ConnectionString;
        results.Add(("PostgreSQL", await BenchAsync(StorageProvider.Postgres, connectionString, lines, accounts)));
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync(postgresServer, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}

Console.WriteLine();
Console.WriteLine(Invariant($"{"",-26} {string.Join("  ", results.Select(r => $"{r.Engine,10}"))}{(results.Count > 1 ? "  PostgreSQL/SQLite" : "")}"));
foreach (var (label, pick) in new (string, Func<EngineRuns, TimeSpan>)[] { ("seed", r => r.Seed), ("first run", r => r.First.Elapsed), ("repeat run, nothing new", r => r.Repeat.Elapsed), ("next month", r => r.Next.Elapsed) })
{
    var ratio = results.Count > 1 ? Invariant($"  {pick(results[1].Runs) / pick(results[0].Runs),6:0.00}x") : "";
    Console.WriteLine(Invariant($"{label,-26} {string.Join("  ", results.Select(r => $"{pick(r.Runs).TotalSeconds,8:0.0} s"))}{ratio}"));
}

if (results.Count > 1)
{
    Console.WriteLine(Invariant($"same invoices on both engines: {results[0].Runs.Posted == results[1].Runs.Posted} ({results[0].Runs.Posted:N0})"));
}

static async Task<EngineRuns> BenchAsync(StorageProvider engine, string connectionString, int lines, int accounts, string? figuresFolder = null, bool paying = false, int terms = 30)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Connector:Storage:Provider"] = engine.ToString(),
        ["Connector:Storage:ConnectionString"] = connectionString,
    }).Build();
    var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddInvoicing().AddPipelineStages();
    var now = new DateTimeOffset(FirstRunDay.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
    var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
    services.AddSingleton<TimeProvider>(time);
    await using var provider = services.BuildServiceProvider();
    await provider.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);

    Console.WriteLine($"{engine}:");
    var clock = Stopwatch.StartNew();
    await SeedAsync(provider.GetRequiredService<OrderStore>(), lines, accounts, terms);
    var seed = clock.Elapsed;
    Console.WriteLine(Invariant($"seeded {lines:N0} lines in {accounts:N0} accounts in {seed.TotalSeconds:0.0} s"));

    var runner = provider.GetRequiredService<InvoiceRunner>();
    var first = await TimeAsync(() => runner.RunAsync(FirstRunDay, false, CancellationToken.None));
    var raw = figuresFolder is null ? TimeSpan.Zero : await RawInsertAsync(connectionString, figuresFolder);
    var repeat = await TimeAsync(() => runner.RunAsync(FirstRunDay, false, CancellationToken.None));
    if (paying)
    {
        await PayAsync(provider, FirstRunDay);
    }

    time.SetUtcNow(now.AddMonths(1));
    var next = await TimeAsync(() => runner.RunAsync(FirstRunDay.AddMonths(1), false, CancellationToken.None));
    if (paying)
    {
        await PayAsync(provider, FirstRunDay.AddMonths(1));
    }

    if (figuresFolder is not null)
    {
        // Twelve more monthly runs (or --months); the thirteenth month's run is timed beside the first regular month's,
        // and the last month's, when later, beside the thirteenth's.
        var month13 = next;
        var lastMonth = next;
        for (var month = 2; month <= Math.Max(13, Months); month++)
        {
            time.SetUtcNow(now.AddMonths(month));
            var day = FirstRunDay.AddMonths(month);
            lastMonth = await TimeAsync(() => runner.RunAsync(day, false, CancellationToken.None));
            month13 = month == 13 ? lastMonth : month13;
            Console.WriteLine(Invariant($"month {month} ({day:yyyy-MM-dd}): {lastMonth.Elapsed.TotalSeconds:0.0} s, {lastMonth.Invoices:N0} invoices, {lastMonth.Lines:N0} invoice lines, {lastMonth.BytesWritten / 1e6:N0} MB written"));
            if (paying && month < Math.Max(13, Months))
            {
                await PayAsync(provider, day);
            }
        }

        var usual = terms == 30 && FirstRunDay == UsualFirstRunDay;
        var name = "invoice-run.month13" + (paying ? ".paying" : "") + (terms != 30 ? Invariant($".net{terms}") : "")
            + (FirstRunDay != UsualFirstRunDay ? Invariant($".from{FirstRunDay:yyyy-MM}") : "");
        if (usual)
        {
            BenchOutput.Figure("invoice-run.first", first.Elapsed.TotalSeconds, "s", raw.TotalSeconds);
            BenchOutput.Figure("invoice-run.noop", repeat.Elapsed.TotalSeconds, "s");
        }

        BenchOutput.Figure(name, month13.Elapsed.TotalSeconds, "s", next.Elapsed.TotalSeconds);
        if (Months > 13)
        {
            BenchOutput.Figure(name.Replace("month13", Invariant($"month{Months}"), StringComparison.Ordinal), lastMonth.Elapsed.TotalSeconds, "s", month13.Elapsed.TotalSeconds);
        }
        if (usual)
        {
            BenchOutput.Figure("invoice-run.lines", lines, "lines");
        }
    }
    Report(Invariant($"first run ({FirstRunDay:yyyy-MM-dd})"), first);
    Report("repeat run, nothing new", repeat);
    Report(Invariant($"next month ({FirstRunDay.AddMonths(1):yyyy-MM-dd})"), next);
    Console.WriteLine(Invariant($"repeat run / first run time: {repeat.Elapsed / first.Elapsed:0.00}"));
    return new EngineRuns(seed, first, repeat, next, first.Invoices + next.Invoices);
}

// The baseline of the first run: the rows it wrote (documents, their children, billing entries, outbox, fact hashes,
// number series) inserted raw into a fresh database of the same schema and pragmas, one prepared statement per table,
// one transaction, through Microsoft.Data.Sqlite. Only the inserts are timed. The same rows are also inserted through
// the native handle as the connector now writes them (SqliteRows), into another fresh database, and that time printed
// beside it: the connector no longer pays the driver's cost per row that the baseline pays.
static async Task<TimeSpan> RawInsertAsync(string sourceConnectionString, string folder)
{
    string[] tables = ["number_series", "invoice", "invoice_line", "invoice_tax_group", "invoice_withholding", "invoice_installment", "billing_entry", "outbox", "fact_state", "account_wake"];
    var rows = new Dictionary<string, (string[] Columns, List<object?[]> Values)>();
    await using (var source = new SqliteConnection(sourceConnectionString))
    {
        await source.OpenAsync();
        foreach (var table in tables)
        {
            // The stored columns only: PRAGMA table_info leaves out generated ones (billing_entry.whole_year), which no insert writes.
            var stored = (await source.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid")).ToList();
            await using var read = source.CreateCommand();
            read.CommandText = $"SELECT {string.Join(", ", stored)} FROM {table}";
            await using var reader = await read.ExecuteReaderAsync();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var values = new List<object?[]>();
            while (await reader.ReadAsync())
            {
                var row = new object?[columns.Length];
                reader.GetValues(row!);
                values.Add(row);
            }

            rows[table] = (columns, values);
        }
    }

    var elapsed = await TimedInsertAsync(Path.Combine(folder, "raw.db"), tables, rows, native: false);
    FlushDatabase(Path.Combine(folder, "raw.db"));
    var native = await TimedInsertAsync(Path.Combine(folder, "raw-native.db"), tables, rows, native: true);
    FlushDatabase(Path.Combine(folder, "raw-native.db"));
    Console.WriteLine(Invariant($"raw insert of the first run's {rows.Values.Sum(r => r.Values.Count):N0} rows: {elapsed.TotalSeconds:0.0} s (through the native handle, as the connector writes: {native.TotalSeconds:0.0} s)"));
    return elapsed;
}

static async Task<TimeSpan> TimedInsertAsync(string target, string[] tables, Dictionary<string, (string[] Columns, List<object?[]> Values)> rows, bool native)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Connector:Storage:Provider"] = "Sqlite",
        ["Connector:Storage:ConnectionString"] = $"Data Source={target}",
    }).Build();
    await using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddInvoicing().AddPipelineStages().BuildServiceProvider();
    await provider.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
    await using var connection = await provider.GetRequiredService<ConnectorDatabase>().OpenAsync(CancellationToken.None);
    var clock = Stopwatch.StartNew();
    await using (var transaction = await connection.BeginTransactionAsync())
    {
        foreach (var table in tables)
        {
            var (columns, values) = rows[table];
            var names = columns.Select((_, i) => "p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names.Select(n => "@" + n))})";
            if (native)
            {
                using var insert = new SqliteRows(connection, transaction, sql, names);
                foreach (var row in values)
                {
                    insert.Execute(row);
                }

                continue;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            var parameters = names.Select(name => { var p = command.CreateParameter(); p.ParameterName = "@" + name; command.Parameters.Add(p); return p; }).ToArray();
            foreach (var row in values)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    var elapsed = clock.Elapsed;
    SqliteConnection.ClearAllPools();
    return elapsed;
}

// A baseline's file is written out to disk as soon as it is timed (its connection closed first): left for the operating
// system to write out later, it would slow the runs timed after it.
static void FlushDatabase(string path)
{
    SqliteConnection.ClearAllPools();
    using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
    file.Flush(flushToDisk: true);
}

// Reading what was billed: one query per line versus the runner's chunked IN list, same 2,000 lines, same run (SQLite).
static async Task CompareReadsAsync(string database)
{
    await using var connection = new SqliteConnection($"Data Source={database}");
    await connection.OpenAsync();
    var sample = (await connection.QueryAsync<string>("SELECT line_id FROM order_line ORDER BY line_id LIMIT 2000")).ToList();
    var (first, last) = await connection.QuerySingleAsync<(long First, long Last)>("SELECT MIN(whole_year), MAX(whole_year) FROM billing_entry");
    var years = Enumerable.Range((int)first, (int)(last - first + 1)).ToArray(); // entries are found by year, then line (as the runner reads them)
    var clock = Stopwatch.StartNew();
    var perLine = 0;
    foreach (var id in sample)
    {
        perLine += (await connection.QueryAsync("SELECT * FROM billing_entry WHERE whole_year IN @Years AND line_id = @Id", new { Years = years, Id = id })).Count();
    }

    var perLineTime = clock.Elapsed;
    clock.Restart();
    var batched = 0;
    foreach (var chunk in sample.Chunk(500))
    {
        batched += (await connection.QueryAsync("SELECT * FROM billing_entry WHERE whole_year IN @Years AND line_id IN @Ids", new { Years = years, Ids = chunk })).Count();
    }

    var batchedTime = clock.Elapsed;
    Console.WriteLine(Invariant($"billed entries of 2,000 lines: one query per line {perLineTime.TotalMilliseconds:0} ms ({sample.Count} queries), batched {batchedTime.TotalMilliseconds:0} ms ({(sample.Count + 499) / 500} queries): {perLineTime / batchedTime:0.0}x; same rows: {perLine == batched}"));
}

static async Task AdminAsync(string server, string statement)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = statement;
    await command.ExecuteNonQueryAsync();
}

// A run's time and counts; the result itself is let go, so the runs timed after it do not collect around what it posted
// (a connector process does not keep a run's documents once it ends).
static async Task<RunFigures> TimeAsync(Func<Task<InvoiceRunResult>> run)
{
    var written = BytesWritten();
    var clock = Stopwatch.StartNew();
    var result = await run();
    var elapsed = clock.Elapsed;
    return new RunFigures(elapsed, result.Invoices.Count, result.Invoices.Sum(i => i.Lines.Count), result.CreditNotes.Count, BytesWritten() - written);
}

// What the process has written to files so far (Linux: /proc/self/io's wchar; 0 elsewhere): the bytes SQLite wrote to its
// write-ahead log and, at checkpoints, to the database file. Unlike seconds it does not vary with the machine's load.
static long BytesWritten() =>
    File.Exists("/proc/self/io") && File.ReadLines("/proc/self/io").FirstOrDefault(l => l.StartsWith("wchar:", StringComparison.Ordinal)) is { } line
        ? long.Parse(line["wchar:".Length..].Trim(), CultureInfo.InvariantCulture)
        : 0;

static void Report(string name, RunFigures run) =>
    Console.WriteLine(Invariant($"{name,-26} {run.Elapsed.TotalSeconds,6:0.0} s  {run.Invoices,7:N0} invoices  {run.Lines,8:N0} invoice lines  {run.CreditNotes} credit notes  {run.BytesWritten / 1e6,5:N0} MB written"));

static async Task SeedAsync(OrderStore store, int lines, int accounts, int terms)
{
    var frequencies = new[] { BillingFrequency.Monthly, BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Annual };
    var random = new Random(20261123);
    const int AccountsPerBatch = 500;
    for (var first = 0; first < accounts; first += AccountsPerBatch)
    {
        var batch = new OrderChanges { Source = "Order" };
        for (var a = first; a < Math.Min(accounts, first + AccountsPerBatch); a++)
        {
            var accountId = Invariant($"001{a:000000000000000}");
            var orderId = Invariant($"801{a:000000000000000}");
            batch.Accounts.Add(new BillingAccount(accountId, Invariant($"Customer {a}"), Country: "ES"));
            batch.Orders.Add(new OrderHeader(orderId, Invariant($"{a:00000000}"), accountId, "EUR", terms));
            var perAccount = lines / accounts + (a < lines % accounts ? 1 : 0);
            for (var l = 0; l < perAccount; l++)
            {
                var start = FirstRunDay.AddMonths(-5).AddDays(random.Next(0, 120));
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
                    EndDate = start.AddYears(3).AddDays(-1),
                    TaxRatePercent = 21m,
                });
            }
        }

        await store.SaveAsync(batch, CancellationToken.None);
    }
}

// With --paying, every invoice is paid in full on the day after it was issued (a payment naming it, applied as the
// sync cycle applies payments), so the months after carry a history of paid invoices, payments and allocations.
static async Task PayAsync(ServiceProvider provider, DateOnly issued)
{
    var clock = Stopwatch.StartNew();
    var changes = new OrderChanges { Source = "Payment" };
    await using (var connection = await provider.GetRequiredService<ConnectorDatabase>().OpenAsync(CancellationToken.None))
    {
        var issuedOn = issued.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var (number, accountId, payable) in await connection.QueryAsync<(string, string, long)>(
            "SELECT number, account_id, net_minor + tax_minor - withheld_minor FROM invoice WHERE issue_date = @issuedOn ORDER BY id", new { issuedOn }))
        {
            changes.Payments.Add(new Connector.Invoicing.Receivables.IncomingPayment("P" + number, accountId, payable / 100m, issued.AddDays(1), number, false));
        }
    }

    await provider.GetRequiredService<OrderStore>().SaveAsync(changes, CancellationToken.None);
    await provider.GetRequiredService<Connector.Invoicing.Runs.PaymentApplier>().ApplyPendingAsync(issued.AddDays(1), CancellationToken.None);
    Console.WriteLine(Invariant($"  paid the {changes.Payments.Count:N0} invoices of {issued:yyyy-MM-dd} in {clock.Elapsed.TotalSeconds:0.0} s"));
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal static partial class Program
{
    private static readonly DateOnly UsualFirstRunDay = new(2026, 1, 1);

    /// <summary>The day of the first run (1 January 2026 unless --first-run gives another); the monthly runs follow on the 1st of each month.</summary>
    private static DateOnly FirstRunDay { get; set; } = UsualFirstRunDay;

    /// <summary>The monthly runs after the first (--months; 13 unless given, and never fewer).</summary>
    private static int Months = 13;
}

internal sealed record EngineRuns(TimeSpan Seed, RunFigures First, RunFigures Repeat, RunFigures Next, int Posted);

internal sealed record RunFigures(TimeSpan Elapsed, int Invoices, int Lines, int CreditNotes, long BytesWritten);
