using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox;
using Connector.Worker.Demo;
using Connector.Worker.Hosting;
using Connector.Worker.Sync;
using Microsoft.Extensions.DependencyInjection;

// API economy of the write-back: N orders (one per account, one one-time line each) are billed into N invoices and
// written back to the sandbox org; the org counts every call. Prints the calls per kind and the ratio to writing
// each record with its own call (invoice, order, account and file per invoice), measured in the same run.
// Usage: dotnet run -c Release --project bench/Connector.Bench -- [invoices=1000]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
using var credentials = new SandboxCredentials();
var org = new SandboxOrg(credentials, TimeProvider.System);
Seed(org, count);
using var server = SandboxServer.Start(org);
var directory = Directory.CreateTempSubdirectory("connector-bench-");
try
{
    var settings = DemoRunner.SandboxSettings(server, credentials.WritePrivateKeyFile(directory.FullName), $"Data Source={Path.Combine(directory.FullName, "bench.db")}");
    settings["Logging:LogLevel:Default"] = "Warning";
    using var host = ConnectorHost.Build(settings);
    await ConnectorHost.PrepareAsync(host, CancellationToken.None);
    var cycle = host.Services.GetRequiredService<SyncCycle>();

    var before = server.Requests.Count;
    var report = new CycleReport();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    await host.Services.GetRequiredService<IngestStep>().RunAsync(report, CancellationToken.None);
    var ingestTime = clock.Elapsed;
    await cycle.BillAndRenderAsync(report, CancellationToken.None);
    var billTime = clock.Elapsed - ingestTime;
    await host.Services.GetRequiredService<WriteBackStep>().RunAsync(report, CancellationToken.None);
    var writeTime = clock.Elapsed - ingestTime - billTime;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time: ingest {ingestTime.TotalSeconds:0.0} s, bill and render {billTime.TotalSeconds:0.0} s, write back {writeTime.TotalSeconds:0.0} s"));
    var calls = server.Requests.Skip(before).Where(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal))
        .GroupBy(r => Kind(r.Method, r.Path)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
    var total = calls.Sum(g => g.Count());
    var naive = report.TotalWrittenBack + calls.Where(g => g.Key == "query").Sum(g => g.Count());

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"invoices posted: {report.InvoicesPosted.Count}, records written back: {report.TotalWrittenBack}"));
    foreach (var group in calls)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-28} {group.Count(),6} calls"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"API calls: {total} in all, {total * 1000.0 / report.InvoicesPosted.Count:0.0} per 1,000 invoices"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one call per record would take {naive}: ratio {(double)naive / total:0.00}x"));
    var recordCalls = calls.Where(g => g.Key.StartsWith("collections", StringComparison.Ordinal)).Sum(g => g.Count());
    var records = report.TotalWrittenBack - report.WrittenBack.GetValueOrDefault("ContentVersion");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"record writes (invoices, orders, accounts, PDF links): {recordCalls} calls for {records} records ({(double)records / recordCalls:0.0} records per call)"));
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

static string Kind(string method, string path) => (method, path) switch
{
    (_, var p) when p.Contains("/query", StringComparison.Ordinal) => "query",
    ("PATCH", var p) when p.EndsWith("/composite/sobjects", StringComparison.Ordinal) => "collections update (Order, Account, PDF link)",
    ("PATCH", _) => "collections upsert (Invoice)",
    ("POST", var p) when p.EndsWith("/ContentVersion", StringComparison.Ordinal) => "ContentVersion upload",
    ("POST", var p) when p.EndsWith("/composite", StringComparison.Ordinal) => "composite (25 PDFs a call)",
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
