using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox;
using Connector.Sandbox.Data;
using Connector.Worker.Demo;
using Microsoft.Data.Sqlite;
using static BenchOutput;

// A first backfill's memory: the sandbox org, served by this process, holds N activated order products (five to an
// order, ten orders to an account, recurring monthly from next month, so the run bills nothing yet); the connector
// reads them all with `connector sync --once` in its own process (a Bulk API 2.0 query job per object above the
// threshold), stores them, and runs the cycle's billing over every new account. The bench polls the connector's peak
// resident set (VmHWM, a high-water mark the kernel keeps) until it exits, then checks that every order product was
// stored. Prints JSON lines on stdout ({"figure","value","unit","baseline","ratio"}), progress on stderr.
// --due: the order products start this month instead, so the same cycle also posts an invoice per account, draws its
// PDF and UBL file and writes them back (figures backfill.due.*).
// Usage: dotnet run -c Release --project bench/Connector.Bench.Backfill -- [orderProducts=1000000] [--due]
var due = args.Contains("--due");
args = [.. args.Where(a => a != "--due")];
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
using var credentials = new SandboxCredentials();
var org = new SandboxOrg(credentials, TimeProvider.System);
var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
var seeding = Stopwatch.StartNew();
org.Locked(data =>
{
    var changed = data.Changed;
    data.Changed = null; // the seed is the org's state before the connector starts, not change events to replay
    Seed(data, today, count, due);
    data.Changed = changed;
    return 0;
});
Console.Error.WriteLine($"seeded {count} order products in {seeding.Elapsed.TotalSeconds:0.0} s");

await using var server = await SandboxServer.StartAsync(org, port: 0, pubSubPort: 0, CancellationToken.None);
var directory = Directory.CreateTempSubdirectory("connector-bench-backfill-");
try
{
    var database = Path.Combine(directory.FullName, "bench.db");
    var settings = DemoRunner.SandboxSettings(server, credentials.WritePrivateKeyFile(directory.FullName), $"Data Source={database}");
    settings["Logging:LogLevel:Default"] = "Warning";
    var (seconds, peak) = await RunAsync(directory.FullName, settings, "sync", "--once");

    using var connection = new SqliteConnection($"Data Source={database}");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(*) FROM order_line";
    var stored = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    if (stored < count)
    {
        throw new InvalidOperationException($"the connector stored {stored} order products of the {count} the org holds");
    }

    var prefix = due ? "backfill.due." : "backfill.";
    Figure(prefix + "records", count, "records");
    Figure(prefix + "rss", peak / 1024.0 / 1024.0, "MB");
    Figure(prefix + "seconds", seconds, "s");
    Figure(prefix + "rate", count / seconds, "records/s");
}
finally
{
    directory.Delete(recursive: true);
}

// N order products: five to an order, ten orders to an account, all monthly in advance from the first of next month
// (or of this month: due now).
static void Seed(SandboxData data, DateOnly today, int count, bool due)
{
    var start = new DateOnly(today.Year, today.Month, 1).AddMonths(due ? 0 : 1);
    var stamp = SandboxData.Stamp(new DateTimeOffset(today.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    var products = Enumerable.Range(0, 5)
        .Select(p => data.Insert("Product2", new JsonObject { ["Name"] = $"Product {p}", ["ProductCode"] = $"P{p}", ["Family"] = "Software", ["IsActive"] = true, ["SystemModstamp"] = stamp }))
        .ToArray();
    string? account = null, order = null;
    for (var i = 0; i < count; i++)
    {
        if (i % 50 == 0)
        {
            account = data.Insert("Account", new JsonObject
            {
                ["Name"] = $"Customer {i / 50:000000} SL", ["BillingStreet"] = "Calle Mayor 1", ["BillingCity"] = "Madrid", ["BillingPostalCode"] = "28013",
                ["BillingCountry"] = "ES", ["Connector_VAT_Number__c"] = "B12345674", ["SystemModstamp"] = stamp,
            });
        }

        if (i % 5 == 0)
        {
            order = data.Insert("Order", new JsonObject
            {
                ["OrderNumber"] = $"{i / 5:00000000}", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = Date(start),
                ["SBQQ__PaymentTerm__c"] = "Net 30", ["SBQQ__Contracted__c"] = false, ["Type"] = "New", ["SystemModstamp"] = stamp,
            });
        }

        var quantity = 1 + (i % 20);
        var price = 10m + (i % 97);
        data.Insert("OrderItem", new JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = products[i % 5], ["Quantity"] = quantity, ["UnitPrice"] = price * 12, ["ListPrice"] = price * 12,
            ["TotalPrice"] = price * 12 * quantity, ["ServiceDate"] = Date(start), ["EndDate"] = Date(start.AddMonths(12).AddDays(-1)),
            ["SBQQ__ChargeType__c"] = "Recurring", ["SBQQ__BillingFrequency__c"] = "Monthly", ["SBQQ__BillingType__c"] = "Advance",
            ["SBQQ__SubscriptionTerm__c"] = 12m, ["SBQQ__ProrateMultiplier__c"] = 1m, ["SBQQ__Activated__c"] = true, ["SystemModstamp"] = stamp,
        });
    }
}

static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

// Runs one connector command in its own process; returns its wall time in seconds and its peak resident set in bytes.
static async Task<(double Seconds, long PeakBytes)> RunAsync(string directory, Dictionary<string, string?> settings, params string[] arguments)
{
    var start = ConnectorProcess.StartInfo(directory, settings, arguments);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    var peak = 0L;
    var exited = process.WaitForExitAsync();
    while (!exited.IsCompleted)
    {
        peak = Math.Max(peak, HighWaterMark(process.Id));
        await Task.WhenAny(exited, Task.Delay(20));
    }

    watch.Stop();
    Console.Error.WriteLine($"connector {string.Join(' ', arguments)}: exit {process.ExitCode} in {watch.Elapsed.TotalSeconds:0.0} s, peak RSS {peak / 1024 / 1024} MB: {(await output).Trim().Split('\n').FirstOrDefault()}");
    if (process.ExitCode > 1)
    {
        throw new InvalidOperationException($"connector {string.Join(' ', arguments)} failed: {await error}");
    }

    return (watch.Elapsed.TotalSeconds, peak);
}

// The process's peak resident set so far (VmHWM in /proc/<pid>/status); 0 once it has gone.
static long HighWaterMark(int pid)
{
    try
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }

    return 0;
}
