
namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment, as a CronJob's pod spec would
public sealed class SyncCommandTests
{
    [Test, CancelAfter(60_000)]
    public async Task SyncOnce_InvoiceRowLockedOnce_RetriedWithinTheSameInvocationSoNothingWaitsForTheNextRun(CancellationToken cancellationToken)
    {
        // Arrange: a CronJob's run; the org locks one invoice row once (UNABLE_TO_LOCK_ROW).
        using var sandbox = new SandboxHarness();
        sandbox.Org.Faults.LockRecordsOnce("INV-000002");
        using var environment = EnvironmentScope.ForSandbox(sandbox);

        // Act
        var run = await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var status = await CliRunner.RunAsync(cancellationToken, "status");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Output, Does.Contain("UNABLE_TO_LOCK_ROW").And.Contain("retrying in 00:00:01"));
            Assert.That(run.Output, Does.Not.Contain("Still to write back"));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c").Select(r => r["Name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "INV-000001", "INV-000002", "INV-000003" }));
            Assert.That(status.Output, Does.Contain(" 0 pending, 0 failed").And.Not.Contain("waiting retry"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SyncOnce_RowLockedBeyondTheRetryWindow_ExitsOneReportingWhatWaitsAndStatusShowsIt(CancellationToken cancellationToken)
    {
        // Arrange: the row stays locked longer than a 3-second window allows.
        using var sandbox = new SandboxHarness();
        sandbox.Org.Faults.LockRecords(50, "INV-000002");
        using var environment = EnvironmentScope.ForSandbox(sandbox, new Dictionary<string, string?> { ["Connector:Sync:OnceRetryWindow"] = "00:00:03" });

        // Act: the first run also quarantines the seed's Usage line; the second has only the locked row to report.
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var run = await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var status = await CliRunner.RunAsync(cancellationToken, "status");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(1), "a CronJob sees the invoice is not in the org yet");
            Assert.That(run.Output, Does.Contain("Quarantined:         0"));
            Assert.That(run.Output, Does.Match(@"Still to write back: 1 waiting for a retry \(oldest queued .*Z, next retry .*Z\): .*UNABLE_TO_LOCK_ROW"));
            Assert.That(status.Output, Does.Contain("waiting retry:   1 after transient failures").And.Contain("UNABLE_TO_LOCK_ROW"));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(2));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SyncOnce_ConfiguredByEnvironment_RunsOneCycleAndSignalsNewQuarantineOnce(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);

        // Act
        var first = await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var second = await CliRunner.RunAsync(cancellationToken, "sync", "--once");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            // The first run quarantines the seed's Usage line: a person must look (exit 1), once; the second has nothing new.
            Assert.That((first.Exit, second.Exit), Is.EqualTo((1, 0)), first.Error + second.Error);
            Assert.That(first.Output, Does.Contain("Invoices posted:     3").And.Contain("INV-000001"));
            Assert.That(second.Output, Does.Contain("Invoices posted:     0"));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SyncOnce_InvalidMappingFile_RefusesToStartWithExitTwo(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        var mapping = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "bad.yaml");
        await File.WriteAllTextAsync(mapping, "version: 1\nsources: {}\n", cancellationToken);
        using var environment = EnvironmentScope.ForSandbox(sandbox, new Dictionary<string, string?> { ["Connector:Mapping:Path"] = mapping });

        // Act
        var run = await CliRunner.RunAsync(cancellationToken, "sync", "--once");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain($"{mapping}:").And.Contain("sources.order: is required."));
            Assert.That(sandbox.Org.ApiCalls, Is.Zero, "nothing was read or written");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task MappingsValidateAgainstOrg_ShippedProfileOnTheSandbox_IsValid(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);

        var run = await CliRunner.RunAsync(cancellationToken, "mappings", "validate", "--against-org");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain("is valid against the org"));
            Assert.That(sandbox.Server.Requests.Count(r => r.Path.EndsWith("/describe", StringComparison.Ordinal)), Is.EqualTo(12), "one describe per object (7, and the credit note, consumption schedule, rate, usage and usage summary objects)");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task MappingsValidateAgainstOrg_FieldHiddenFromIntegrationUser_ExitsTwoNamingFileLineAndField(CancellationToken cancellationToken)
    {
        // Arrange: the admin's copy of the profile, and an org where the integration user cannot read ServiceDate.
        using var sandbox = new SandboxHarness(org => org.Data.Schema.Hide("OrderItem", "ServiceDate", TimeProvider.System.GetUtcNow()));
        var mapping = Path.Combine(Path.GetDirectoryName(sandbox.DatabasePath)!, "mapping.yaml");
        await File.WriteAllTextAsync(mapping, Connector.Mapping.Profile.MappingProfileLoader.ShippedProfile("cpq-default.yaml"), cancellationToken);
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        var line = (await File.ReadAllLinesAsync(mapping, cancellationToken)).ToList().FindIndex(l => l.Contains("ServiceDate", StringComparison.Ordinal)) + 1;

        // Act
        var run = await CliRunner.RunAsync(cancellationToken, "mappings", "validate", "--against-org", "--file", mapping);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain($"{mapping}:{line}:").And.Contain("OrderItem.ServiceDate does not exist or is hidden from the integration user by field-level security"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task MappingsExplain_OrderFetchedFromTheOrg_ShowsEachFieldItsBillingInputAndTheLinesARunWouldCreate(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        var acme = sandbox.Org.Data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000101")["Id"]!.GetValue<string>();
        var month = new DateOnly(SandboxHarness.Today.Year, SandboxHarness.Today.Month, 1);

        // Act
        var run = await CliRunner.RunAsync(cancellationToken, "mappings", "explain", "--order", acme, "--date", month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain("SBQQ__PaymentTerm__c = 'Net 30' → 30"));
            Assert.That(run.Output, Does.Contain("SBQQ__ChargeType__c = 'Recurring' → Recurring"));
            Assert.That(run.Output, Does.Contain("→ billing: Platform Subscription, Monthly Advance, quantity 10, term price 12000"));
            Assert.That(run.Output, Does.Contain("Account.Connector_Peppol_Scheme__c = '9920'").And.Contain("e-invoices to 9920:ESB12345674, quoting 'COMPRAS-2026'"),
                "the buyer's e-invoice address and reference, as mapped");
            Assert.That(run.Output, Does.Contain("VAT 21% (category S)"));
            Assert.That(run.Output, Does.Contain("1000.00 EUR").And.Contain("2500.00 EUR"));
            Assert.That(run.Output, Does.Contain("net 5545.25 EUR"), "three months, the onboarding and two months of API calls, as the real run bills");
            Assert.That(run.Output, Does.Contain(": usage, Slab every 1 month(s), in Call").And.Contain("rate 2: 10001.. at 0.001 PerUnit"));
            Assert.That(run.Output, Does.Contain("Usage records of these order products: 4, 26750 units in all"));
            Assert.That(run.Output, Does.Contain("18250 Call, Slab: rate 1 (1..10000) 10000 × 0.002 = 20; rate 2 (10001..) 8250 × 0.001 = 8.25 → 28.25"));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Is.Empty, "nothing is written");
            Assert.That(File.Exists(sandbox.DatabasePath), Is.False, "not even the database");
        }
    }

    [Test]
    public async Task MappingsExplain_FromFileWithABadLine_ShowsWhyItWouldBeQuarantined()
    {
        var run = await ExplainFromFileAsync("""
            {"order": {"Id":"801000000000001AAA","OrderNumber":"00000777","AccountId":"001000000000001AAA","SBQQ__PaymentTerm__c":"Net 15",
                       "Account":{"Name":"Acme SL","BillingCountry":"ES"}},
             "orderItems": [
               {"Id":"802000000000001AAA","OrderId":"801000000000001AAA","Quantity":1,"UnitPrice":1200,"TotalPrice":1200,"ServiceDate":"2026-01-01",
                "EndDate":"2026-12-31","SBQQ__ChargeType__c":"Recurring","SBQQ__BillingFrequency__c":"Monthly","SBQQ__BillingType__c":"Advance",
                "SBQQ__SubscriptionTerm__c":12,"Product2":{"Name":"Platform"}},
               {"Id":"802000000000002AAA","OrderId":"801000000000001AAA","Quantity":1,"UnitPrice":null,"ServiceDate":"2026-01-01",
                "SBQQ__ChargeType__c":"One-Time","Product2":{"Name":"Setup"}}]}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain("✗ quarantined: UnitPrice is empty (rule: unitPrice is required)"));
            Assert.That(run.Output, Does.Contain("2026-01-01 – 2026-01-31").And.Contain("2026-02-01 – 2026-02-28"));
            Assert.That(run.Output, Does.Contain("net 200.00 EUR"));
            Assert.That(run.Output, Does.Contain("due 2026-03-02"), "Net 15 from the order's payment term");
            Assert.That(run.Output, Does.Not.Contain("quantity 0 bills nothing"));
        }
    }

    [Test]
    public async Task MappingsExplain_ALineOfQuantityZeroWithAPrice_SaysItBillsNothing()
    {
        var run = await ExplainFromFileAsync("""
            {"order": {"Id":"801000000000001AAA","OrderNumber":"00000777","AccountId":"001000000000001AAA","Account":{"Name":"Acme SL","BillingCountry":"ES"}},
             "orderItems": [
               {"Id":"802000000000001AAA","OrderId":"801000000000001AAA","Quantity":1,"UnitPrice":300,"TotalPrice":300,"ServiceDate":"2026-01-01",
                "SBQQ__ChargeType__c":"One-Time","Product2":{"Name":"Training"}},
               {"Id":"802000000000002AAA","OrderId":"801000000000001AAA","Quantity":0,"UnitPrice":500,"TotalPrice":500,"ServiceDate":"2026-01-01",
                "SBQQ__ChargeType__c":"One-Time","Product2":{"Name":"Setup"}}]}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Exit, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain("! quantity 0 bills nothing: the term price 500 is not charged"));
            Assert.That(run.Output, Does.Contain("net 300.00 EUR"), "only the line with units is billed");
        }
    }

    /// <summary>Runs <c>mappings explain --from-file</c> on an order written to a temporary file, for a run on 2026-02-15.</summary>
    private static async Task<(int Exit, string Output, string Error)> ExplainFromFileAsync(string order)
    {
        var directory = Directory.CreateTempSubdirectory("connector-explain-");
        try
        {
            var json = Path.Combine(directory.FullName, "order.json");
            await File.WriteAllTextAsync(json, order);
            return await CliRunner.RunAsync(CancellationToken.None, "mappings", "explain", "--from-file", json, "--date", "2026-02-15");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task MappingsValidate_StaticOnlyWithABadFile_ExitsTwoWithoutContactingTheOrg()
    {
        var directory = Directory.CreateTempSubdirectory("connector-map-");
        try
        {
            var mapping = Path.Combine(directory.FullName, "m.yaml");
            await File.WriteAllTextAsync(mapping, "version: 1\nsourcez: {}\n");

            var run = await CliRunner.RunAsync(CancellationToken.None, "mappings", "validate", "--file", mapping);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(run.Exit, Is.EqualTo(2));
                Assert.That(run.Error, Does.Contain($"{mapping}:2:1: (file).sourcez: unknown key (did you mean 'sources'?)"));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
