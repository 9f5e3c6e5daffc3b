using System.Diagnostics;
using System.Globalization;
using static BenchOutput;
using System.Text;
using Connector.Sandbox;
using Connector.Worker.Demo;

// Usage import, end to end: `connector sync --once` reads the sandbox org (served by this process), then a CSV of N
// usage records for Acme's API calls line is imported with `connector usage import` in its own process, imported again
// (every record already stored: nothing changes), and billed by `connector invoice-run`. Each step is timed as a whole
// command, process start included. Prints JSON lines on stdout ({"figure","value","unit","baseline","ratio"}),
// progress on stderr.
// Usage: dotnet run -c Release --project bench/Connector.Bench.Usage -- [records=100000]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
using var credentials = new SandboxCredentials();
var org = new SandboxOrg(credentials, TimeProvider.System);
var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
SandboxSeed.Default(org.Data, today);
await using var server = await SandboxServer.StartAsync(org, port: 0, pubSubPort: 0, CancellationToken.None);
var directory = Directory.CreateTempSubdirectory("connector-bench-usage-");
try
{
    var settings = DemoRunner.SandboxSettings(server, credentials.WritePrivateKeyFile(directory.FullName), $"Data Source={Path.Combine(directory.FullName, "bench.db")}");
    settings["Logging:LogLevel:Default"] = "Warning";
    await RunAsync(directory.FullName, settings, "sync", "--once");

    var line = org.Data.All("SBQQ__OrderItemConsumptionSchedule__c").Single()["SBQQ__OrderItem__c"]!.GetValue<string>();
    var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
    var file = Path.Combine(directory.FullName, "usage.csv");
    var csv = new StringBuilder("usageId,orderItemId,usageDate,quantity,unitOfMeasure\n");
    for (var i = 0; i < count; i++)
    {
        csv.Append(CultureInfo.InvariantCulture, $"bench-{i:0000000},{line},{month.AddDays(i % 28):yyyy-MM-dd},{1 + (i % 7)}.5,Call\n");
    }

    await File.WriteAllTextAsync(file, csv.ToString());
    Console.Error.WriteLine($"importing {count} usage records ({new FileInfo(file).Length / 1024} KB)");
    var import = await RunAsync(directory.FullName, settings, "usage", "import", file);
    var again = await RunAsync(directory.FullName, settings, "usage", "import", file);
    var run = await RunAsync(directory.FullName, settings, "invoice-run", "--target-date", today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    Figure("usage.import.records", count, "records");
    Figure("usage.import", import, "s");
    Figure("usage.import.rate", count / import, "records/s");
    Figure("usage.import.again", again, "s", import);
    Figure("usage.run", run, "s");
}
finally
{
    directory.Delete(recursive: true);
}

// Runs one connector command in its own process; returns its wall time in seconds. A failure stops the bench.
static async Task<double> RunAsync(string directory, Dictionary<string, string?> settings, params string[] arguments)
{
    var start = ConnectorProcess.StartInfo(directory, settings, arguments);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    watch.Stop();
    Console.Error.WriteLine($"connector {string.Join(' ', arguments.Take(2))}: exit {process.ExitCode} in {watch.Elapsed.TotalSeconds:0.00} s: {(await output).Trim().Split('\n').LastOrDefault()}");
    if (process.ExitCode > 1)
    {
        throw new InvalidOperationException($"connector {string.Join(' ', arguments)} failed: {await error}");
    }

    return watch.Elapsed.TotalSeconds;
}
