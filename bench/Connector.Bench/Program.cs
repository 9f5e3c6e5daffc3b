using Connector.Sync.Ingest;
using Connector.Sync.WriteBack;
using Connector.Sync.Cycles;
using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox;
using Connector.Worker.Demo;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

// API economy of the write-back: N orders (one per account, one one-time line each) are billed into N invoices and
// written back to the sandbox org, which counts every call. The same N are written three ways in one run: each
// collections request alone (CollectionsPerCompositeCall=1), packed five to a Composite call (the default), and through
// Bulk API 2.0 ingest jobs (BulkWriteThreshold below N); each is compared with writing every record with its own call.
// Usage: dotnet run -c Release --project bench/Connector.Bench -- [invoices=1000] [--figures]
// --figures: only the default (packed) write-back, its figures as JSON lines on stdout (writeback.calls.records: record
// write calls per 1,000 invoices; writeback.calls.pdfs: file upload calls per 1,000 PDFs, each with its UBL file;
// writeback.rss: the peak resident memory of this process, which holds the connector and the org), the text on stderr.
var figures = args.Contains("--figures");
args = [.. args.Where(a => a != "--figures")];
if (figures)
{
    BenchOutput.Out = Console.Out;
    Console.SetOut(Console.Error);
}

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
if (figures)
{
    var (writes, files) = await MeasureAsync("packed (default)", count, []);
    BenchOutput.Figure("writeback.invoices", count, "invoices");
    BenchOutput.Figure("writeback.calls.records", (writes - files) * 1000.0 / count, "calls per 1,000 invoices");
    BenchOutput.Figure("writeback.calls.pdfs", files * 1000.0 / count, "calls per 1,000 PDFs");
    BenchOutput.Figure("writeback.rss", System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0, "MB");
    return;
}

var (alone, _) = await MeasureAsync("collections alone", count, new() { ["Connector:Salesforce:CollectionsPerCompositeCall"] = "1" });
var (packed, _) = await MeasureAsync("packed (default)", count, []);
var (bulk, _) = await MeasureAsync("bulk", count, new()
{
    ["Connector:Salesforce:BulkWriteThreshold"] = (count / 2).ToString(CultureInfo.InvariantCulture),
    ["Connector:Salesforce:BulkPollInterval"] = "00:00:00.050",
    ["Connector:Sync:WriteBackBatchSize"] = "200000",
});
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"write-back calls per 1,000 invoices: alone {alone * 1000.0 / count:0.0}, packed {packed * 1000.0 / count:0.0}, bulk {bulk * 1000.0 / count:0.0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packed vs alone: {(double)alone / packed:0.00}x fewer calls; bulk vs packed: {(double)packed / bulk:0.00}x"));

static async Task<(int Writes, int Files)> MeasureAsync(string name, int count, Dictionary<string, string?> extra)
{
    using var credentials = new SandboxCredentials();
    var org = new SandboxOrg(credentials, TimeProvider.System);
    Seed(org, count);
    using var server = SandboxServer.Start(org);
    var directory = Directory.CreateTempSubdirectory("connector-bench-");
    try
    {
        var settings = DemoRunner.SandboxSettings(server, credentials.WritePrivateKeyFile(directory.FullName), $"Data Source={Path.Combine(directory.FullName, "bench.db")}");
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        using var host = ConnectorHost.Build(settings);
        await ConnectorHost.PrepareAsync(host, CancellationToken.None);
        var report = new CycleReport();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.Services.GetRequiredService<IngestStep>().RunAsync(report, CancellationToken.None);
        var ingestTime = clock.Elapsed;
        await host.Services.GetRequiredService<SyncCycle>().BillAndRenderAsync(report, CancellationToken.None);
        var billTime = clock.Elapsed - ingestTime;
        var before = server.Requests.Count;
        await host.Services.GetRequiredService<WriteBackStep>().RunAsync(report, CancellationToken.None);
        var writeTime = clock.Elapsed - ingestTime - billTime;
        var calls = server.RequestsWithBodies.Skip(before).Where(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal))
            .GroupBy(r => Kind(r.Method, r.Path, r.Body)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var total = calls.Sum(g => g.Count());
        var writes = calls.Where(g => g.Key != "query").Sum(g => g.Count());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {name}: {report.InvoicesPosted.Count} invoices, {report.TotalWrittenBack} records written back, {report.WriteBackFailures.Count} failures"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   time: ingest {ingestTime.TotalSeconds:0.0} s, bill and render {billTime.TotalSeconds:0.0} s, write back {writeTime.TotalSeconds:0.0} s"));
        foreach (var group in calls)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {group.Key,-44} {group.Count(),6} calls"));
        }

        Console.WriteLine("   collections requests per object: " + string.Join(", ", org.CollectionsRequests.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}"))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   write-back calls: {total}; one call per record would take {report.TotalWrittenBack}: ratio {(double)report.TotalWrittenBack / total:0.00}x"));
        return (writes, calls.Where(g => g.Key.StartsWith("collections create", StringComparison.Ordinal) || g.Key == "ContentVersion upload").Sum(g => g.Count()));
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}

static string Kind(string method, string path, string body) => (method, path) switch
{
    (_, var p) when p.Contains("/query", StringComparison.Ordinal) => "query",
    (_, var p) when p.Contains("/jobs/ingest", StringComparison.Ordinal) => "bulk ingest (create, upload, close, poll, results)",
    ("PATCH", var p) when p.EndsWith("/composite/sobjects", StringComparison.Ordinal) => "collections update (Order, Account, PDF link)",
    ("PATCH", _) => "collections upsert (Invoice)",
    ("POST", var p) when p.EndsWith("/ContentVersion", StringComparison.Ordinal) => "ContentVersion upload",
    ("POST", var p) when p.EndsWith("/composite/sobjects", StringComparison.Ordinal) => "collections create (200 files a call)",
    ("POST", var p) when p.EndsWith("/composite", StringComparison.Ordinal) && body.Contains("/composite/sobjects", StringComparison.Ordinal) => "composite (up to 5 collections of 200)",
    _ => $"{method} {path}",
};

static void Seed(SandboxOrg org, int count)
{
    var stamp = TimeProvider.System.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
    var day = TimeProvider.System.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    var product = org.Data.Insert("Product2", new JsonObject { ["Name"] = "Setup", ["SystemModstamp"] = stamp });
    for (var i = 0; i < count; i++)
    {
        var account = org.Data.Insert("Account", new JsonObject { ["Name"] = $"Customer {i:0000}", ["BillingCountry"] = "ES", ["SystemModstamp"] = stamp });
        var order = org.Data.Insert("Order", new JsonObject
        {
            ["OrderNumber"] = $"{i:00000000}", ["AccountId"] = account, ["Status"] = "Activated", ["EffectiveDate"] = day, ["SystemModstamp"] = stamp,
        });
        org.Data.Insert("OrderItem", new JsonObject
        {
            ["OrderId"] = order, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = 100, ["TotalPrice"] = 100, ["ServiceDate"] = day,
            ["SBQQ__ChargeType__c"] = "One-Time", ["SystemModstamp"] = stamp,
        });
    }
}
