using System.Diagnostics;
using System.Globalization;
using static BenchOutput;
using System.Text.Json.Nodes;
using Connector.Sandbox;
using Connector.Worker.Demo;
using Microsoft.Data.Sqlite;

// Change events, end to end: the sandbox org serves REST and the Pub/Sub API from this process; `connector run` runs in
// its own process with change events on and InvoiceOnActivation, polling only hourly. N draft orders are activated one
// at a time (the order, then its products, as CPQ does); each is timed from its activation to its invoice record with
// its PDF link in the org. Then the API calls an idle hour costs: polling every 5 minutes (the default) against change
// events (one reconcile poll an hour; the stream itself costs no API calls), from calls measured per idle poll.
// Prints JSON lines on stdout ({"figure","value","unit","baseline","ratio"}), progress on stderr.
// Usage: dotnet run -c Release --project bench/Connector.Bench.ChangeEvents -- [orders=100]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
using var credentials = new SandboxCredentials();
var org = new SandboxOrg(credentials, TimeProvider.System);
var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
SandboxSeed.Default(org.Data, today);
var drafts = AddDraftOrders(org, count, today);
await using var server = await SandboxServer.StartAsync(org, port: 0, pubSubPort: 0, CancellationToken.None);
var directory = Directory.CreateTempSubdirectory("connector-bench-cdc-");
try
{
    var database = Path.Combine(directory.FullName, "bench.db");
    var settings = DemoRunner.SandboxSettings(server, credentials.WritePrivateKeyFile(directory.FullName), $"Data Source={database}");
    settings["Connector:Sync:PollInterval"] = "01:00:00";
    settings["Connector:Sync:InvoiceRunSchedule"] = "0 0 1 1 *";
    settings["Connector:Health:Port"] = "18081";
    settings["Connector:Logging:Format"] = "Text";
    settings["Logging:LogLevel:Default"] = "Warning";

    // 1. Latency: activation to invoice record and PDF link in the org.
    var latencies = new List<double>();
    using (var connector = Start(directory.FullName, settings, new()
    {
        ["Connector:ChangeEvents:Enabled"] = "true",
        ["Connector:Billing:InvoiceOnActivation"] = "true",
    }))
    {
        await UntilAsync(() => PdfLinked(org) == 3 && org.ChangeEvents.Subscriptions >= 4, connector, TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the start's fallback polls and write-backs settle
        foreach (var (order, items) in drafts)
        {
            var watch = Stopwatch.StartNew();
            org.Locked(data =>
            {
                data.Update("Order", order, new JsonObject { ["Status"] = "Activated" });
                foreach (var item in items)
                {
                    data.Update("OrderItem", item, new JsonObject { ["SBQQ__Activated__c"] = true });
                }

                return 0;
            });

            await UntilAsync(() => InvoiceLinked(org, order), connector, TimeSpan.FromMinutes(1));
            latencies.Add(watch.Elapsed.TotalSeconds);
            if (latencies.Count % 10 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"activated {latencies.Count}/{count}, last {latencies[^1]:0.000} s"));
            }
        }

        Stop(connector);
    }

    latencies.Sort();
    Figure("cdc.latency.p50", Percentile(latencies, 0.50), "s");
    Figure("cdc.latency.p95", Percentile(latencies, 0.95), "s");
    Figure("cdc.latency.max", latencies[^1], "s");
    Figure("cdc.orders", latencies.Count, "orders");

    // 2. API calls of an idle hour: calls per idle poll, measured with polls 2 s apart on the same org and database.
    using (var connector = Start(directory.FullName, settings, new() { ["Connector:Sync:PollInterval"] = "00:00:02" }))
    {
        await UntilAsync(() => IngestCycles(database) >= 2, connector, TimeSpan.FromMinutes(1));
        var (calls, cycles) = (org.ApiCalls, IngestCycles(database));
        await UntilAsync(() => IngestCycles(database) >= cycles + 10, connector, TimeSpan.FromMinutes(2));
        var perPoll = (double)(org.ApiCalls - calls) / (IngestCycles(database) - cycles);
        Stop(connector);
        var polled = perPoll * 3600 / 300; // PollInterval 5 min
        var streamed = perPoll * 1;        // ReconcileInterval 1 h; the Pub/Sub stream and its keepalives are not API calls
        Figure("idle.calls.per-poll", perPoll, "calls");
        Figure("idle.calls.poll", polled, "calls/h");
        Figure("idle.calls.cdc", streamed, "calls/h", polled);
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

static List<(string Order, List<string> Items)> AddDraftOrders(SandboxOrg org, int count, DateOnly today)
{
    var data = org.Data;
    var product = data.All("Product2")[0]["Id"]!.GetValue<string>();
    var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    var orders = new List<(string, List<string>)>();
    for (var i = 0; i < count; i++)
    {
        var account = data.Insert("Account", new JsonObject { ["Name"] = $"Bench Customer {i:000}", ["BillingCountry"] = "ES" });
        var order = data.Insert("Order", new JsonObject
        {
            ["OrderNumber"] = $"9{i:0000000}", ["AccountId"] = account, ["Status"] = "Draft", ["EffectiveDate"] = date, ["SBQQ__PaymentTerm__c"] = "Net 30",
        });
        var item = data.Insert("OrderItem", new JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 100, ["TotalPrice"] = 100, ["ServiceDate"] = date,
            ["SBQQ__ChargeType__c"] = "One-Time",
        });
        orders.Add((order, [item]));
    }

    return orders;
}

static int PdfLinked(SandboxOrg org) => org.Locked(data => data.All("Connector_Invoice__c").Count(i => i["Connector_PDF_Link__c"] is not null));

static bool InvoiceLinked(SandboxOrg org, string order) => org.Locked(data =>
    data.All("Connector_Invoice__c").Any(i => i["Connector_Order__c"]?.GetValue<string>() == order && i["Connector_PDF_Link__c"] is not null));

static long IngestCycles(string database)
{
    using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT COUNT(*) FROM cycle_run WHERE kind = 'ingest' AND finished_at IS NOT NULL";
    return (long)command.ExecuteScalar()!;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static Process Start(string directory, Dictionary<string, string?> settings, Dictionary<string, string?> extra)
{
    var process = Process.Start(ConnectorProcess.StartInfo(directory, settings.Concat(extra), "run"))!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) =>
    {
        if (e.Data is { } line && !line.StartsWith("info", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("connector: " + line);
        }
    };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static void Stop(Process process)
{
    // SIGTERM, as Kubernetes stops a pod: the connector releases its lease, so the next process leads at once.
    using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
    {
        term.WaitForExit();
    }

    if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}

static async Task UntilAsync(Func<bool> condition, Process connector, TimeSpan limit)
{
    var watch = Stopwatch.StartNew();
    while (!condition())
    {
        if (connector.HasExited)
        {
            throw new InvalidOperationException($"connector run exited with {connector.ExitCode}");
        }

        if (watch.Elapsed > limit)
        {
            throw new TimeoutException($"waited {limit} for the connector");
        }

        await Task.Delay(5);
    }
}
