using System.Globalization;

namespace Connector.EndToEnd.Tests;

/// <summary><c>connector usage import</c>: usage measured outside Salesforce, all or nothing, idempotent by usage id.</summary>
[TestFixture]
[NonParallelizable] // configures the process environment
public sealed class UsageImportCommandTests
{
    [Test, CancelAfter(90_000)]
    public async Task Import_ThenAgain_StoresOnceAndTheNextRunBillsIt(CancellationToken cancellationToken)
    {
        // Arrange: the org's cycle has read Acme's API calls line; this month's calls come from a file.
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var line = sandbox.Org.Data.All("SBQQ__OrderItemConsumptionSchedule__c").Single()["SBQQ__OrderItem__c"]!.GetValue<string>();
        var month = new DateOnly(SandboxHarness.Today.Year, SandboxHarness.Today.Month, 1);
        var file = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "calls.csv");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture, $"""
            usageId,orderItemId,usageDate,quantity,unitOfMeasure
            gw-1,{line},{month:yyyy-MM-dd},5000,Call
            gw-2,{line},{month.AddDays(1):yyyy-MM-dd},12000.5,Call
            "gw-3, a correction",{line},{month.AddDays(2):yyyy-MM-dd},-1000.5,

            """), cancellationToken);

        // Act
        var dry = await CliRunner.RunAsync(cancellationToken, "usage", "import", file, "--dry-run");
        var first = await CliRunner.RunAsync(cancellationToken, "usage", "import", file);
        var again = await CliRunner.RunAsync(cancellationToken, "usage", "import", file);
        var run = await CliRunner.RunAsync(cancellationToken, "invoice-run", "--target-date", month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // Assert: 16,000 calls = 10,000 × 0.002 + 6,000 × 0.001 = 26.00, beside next month's platform fee (1,000.00).
        using (Assert.EnterMultipleScope())
        {
            Assert.That((dry.Exit, dry.Output), Is.EqualTo((0, "calls.csv: 3 usage records, 3 would be stored, 0 already stored (dry run: nothing was stored)" + Environment.NewLine)));
            Assert.That((first.Exit, first.Output), Is.EqualTo((0, "calls.csv: 3 usage records, 3 stored, 0 already stored" + Environment.NewLine)), "the dry run stored nothing");
            Assert.That((again.Exit, again.Output), Is.EqualTo((0, "calls.csv: 3 usage records, 0 stored, 3 already stored" + Environment.NewLine)));
            Assert.That(run.Output, Does.Contain("Acme Iberia SL").And.Contain("net      1026.00"), run.Output + run.Error);
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task Import_FileWithProblems_ImportsNothingAndNamesEachLine(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var line = sandbox.Org.Data.All("SBQQ__OrderItemConsumptionSchedule__c").Single()["SBQQ__OrderItem__c"]!.GetValue<string>();
        var folder = Path.GetDirectoryName(sandbox.DatabasePath)!;
        var good = Path.Combine(folder, "good.csv");
        var bad = Path.Combine(folder, "bad.csv");
        var edited = Path.Combine(folder, "edited.csv");
        await File.WriteAllTextAsync(good, $"usageId,orderItemId,usageDate,quantity\nu-1,{line},2026-01-05,10\n", cancellationToken);
        await File.WriteAllTextAsync(bad, $"usageId,orderItemId,usageDate,quantity\nu-2,{line},2026-01-05,10\nu-3,802000000000000AAA,2026-01-05,1\nu-4,{line},05/01/2026,1\nu-5,{line},2026-01-05,1e3\n", cancellationToken);
        await File.WriteAllTextAsync(edited, $"usageId,orderItemId,usageDate,quantity\nu-6,{line},2026-01-06,1\nu-1,{line},2026-01-05,11\n", cancellationToken);

        // Act
        var badImport = await CliRunner.RunAsync(cancellationToken, "usage", "import", bad);
        var goodImport = await CliRunner.RunAsync(cancellationToken, "usage", "import", good);
        var editedImport = await CliRunner.RunAsync(cancellationToken, "usage", "import", edited);
        var header = await CliRunner.RunAsync(cancellationToken, "usage", "import", good.Replace("good", "missing", StringComparison.Ordinal));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(badImport.Exit, Is.EqualTo(2));
            Assert.That(badImport.Output, Is.Empty, "stdout carries results only");
            Assert.That(badImport.Error, Does.Contain("bad.csv: line 4: usageDate '05/01/2026' is not a date").And.Contain("bad.csv: line 5: quantity '1e3' is not a decimal")
                .And.Contain("nothing was imported (all or nothing)"));
            Assert.That(goodImport.Output, Does.Contain("1 stored"), "the bad file stored nothing, u-2 included");
            Assert.That(editedImport.Exit, Is.EqualTo(2));
            Assert.That(editedImport.Error, Does.Contain("edited.csv line 3: usage u-1").And.Contain("usage records are never edited"));
            Assert.That(header.Exit, Is.EqualTo(2));
        }

        // The file with an unknown order product, once its dates and quantities are fixed, is refused for it alone.
        await File.WriteAllTextAsync(bad, $"usageId,orderItemId,usageDate,quantity\nu-3,802000000000000AAA,2026-01-05,1\n", cancellationToken);
        var unknown = await CliRunner.RunAsync(cancellationToken, "usage", "import", bad);
        Assert.That(unknown.Error, Does.Contain("names order product 802000000000000AAA, which the connector has not read"));
    }
}
