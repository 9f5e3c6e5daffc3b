using Connector.Sync.Quarantine;
using Connector.Storage;
using Connector.Sync.Ingest;
using Connector.Sync.WriteBack;
using Connector.Sync.Cycles;
using System.Text.Json.Nodes;
using Connector.Invoicing.Storage;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Connector.EndToEnd.Tests;

[TestFixture]
public sealed class FullCycleTests
{
    [Test, CancelAfter(60_000)]
    public async Task Cycle_AgainstSandbox_OrgReceivesOneInvoiceRecordPdfAndOrderFieldsPerBilledOrder(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert: what the org received
        var invoices = await host.Services.GetRequiredService<InvoiceStore>().ListAsync(cancellationToken);
        var records = sandbox.Org.Data.All("Connector_Invoice__c").ToDictionary(r => r["Connector_Invoice_Key__c"]!.GetValue<string>());
        var files = sandbox.Org.Data.Pdfs();
        var ublFiles = sandbox.Org.Data.UblFiles();
        var orders = sandbox.Org.Data.All("Order").ToDictionary(o => o["OrderNumber"]!.GetValue<string>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(invoices.Select(i => i.Buyer.Name), Is.EqualTo(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd" }));
            Assert.That(invoices.Single(i => i.Buyer.Name == "Acme Iberia SL").Net.Value, Is.EqualTo(5_545.25m), "3 months of 1,000.00, 2,500.00 onboarding and two months of API calls (17.00 and 28.25), net of IVA");
            Assert.That(invoices.Single(i => i.Buyer.Name == "Initech Ltd").Total.Value, Is.EqualTo(1_000.00m), "the usage line is quarantined, the draft order not billed");
            var support = invoices.Single(i => i.Buyer.Name == "Globex GmbH").Lines.Where(l => l.Description.StartsWith("Premium Support", StringComparison.Ordinal)).Sum(l => l.Net.Value);
            Assert.That(support, Is.EqualTo(4_800.00m).Within(0.02m), "the annual term is billed in advance, leading partial period included");

            Assert.That(records.Keys, Is.EquivalentTo(invoices.Select(i => i.Number)));
            foreach (var invoice in invoices)
            {
                var record = records[invoice.Number];
                Assert.That(record["Name"]!.GetValue<string>(), Is.EqualTo(invoice.Number));
                Assert.That(record["Connector_Total_Amount__c"]!.GetValue<decimal>(), Is.EqualTo(invoice.Total.Value));
                Assert.That(record["Connector_Due_Date__c"]!.GetValue<string>(), Is.EqualTo(invoice.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(record["Connector_Order__c"]!.GetValue<string>(), Is.EqualTo(invoice.OrderIds.Single()));
                Assert.That(record["Connector_Payment_Status__c"]!.GetValue<string>(), Is.EqualTo("Unpaid"));

                var file = files.Single(f => f["FirstPublishLocationId"]!.GetValue<string>() == record["Id"]!.GetValue<string>());
                Assert.That(record["Connector_PDF_Link__c"]!.GetValue<string>(), Is.EqualTo("/sfc/servlet.shepherd/version/download/" + file["Id"]!.GetValue<string>()), "the record links its own PDF");
                using var pdf = PdfDocument.Open(sandbox.Org.FileContent(file["Id"]!.GetValue<string>())!);
                Assert.That(string.Concat(pdf.GetPages().Select(p => p.Text)), Does.Contain(invoice.Number));
            }

            Assert.That(files, Has.Count.EqualTo(3));
            Assert.That(ublFiles.Select(f => (Record: f["FirstPublishLocationId"]!.GetValue<string>(), Number: UblNumber(sandbox.Org.FileContent(f["Id"]!.GetValue<string>())!))),
                Is.EquivalentTo(invoices.Select(i => (records[i.Number]["Id"]!.GetValue<string>(), i.Number))), "each record holds its own invoice's UBL file beside the PDF");
            Assert.That(orders["00000101"]["Connector_Last_Invoice_Number__c"]!.GetValue<string>(), Is.EqualTo(records.Keys.Order().First()));
            Assert.That(orders["00000101"]["Connector_Billed_Through__c"]!.GetValue<string>(), Is.EqualTo(
                new DateOnly(SandboxHarness.Today.Year, SandboxHarness.Today.Month, 1).AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(orders["00000101"]["Connector_Next_Billing_Date__c"]!.GetValue<string>(), Is.EqualTo(
                new DateOnly(SandboxHarness.Today.Year, SandboxHarness.Today.Month, 1).AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "the next monthly period");
            Assert.That(orders["00000103"]["Connector_Next_Billing_Date__c"], Is.Null, "a one-time order has nothing left to bill");
            Assert.That(orders["00000104"]["Connector_Last_Invoice_Number__c"], Is.Null, "a draft order is not billed");
            Assert.That(report.WrittenBack, Is.EquivalentTo(new Dictionary<string, int> { ["Connector_Invoice__c"] = 3, ["Order"] = 3, ["Account"] = 3, ["ContentVersion"] = 3 * OrgFiles.PerDocument, ["PDF link"] = 3, ["Connector_Usage_Summary__c"] = 2, ["Connector_Usage__c"] = 4 }));
            Assert.That(report.WriteBackFailures, Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_FirstBackfillAboveTheBulkThreshold_ReadsThroughBulkQueryJobsThenPollsIncrementally(CancellationToken cancellationToken)
    {
        // Arrange: a threshold of 2 records and results pages of 2 rows, so the seed's sources go through Bulk API 2.0.
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost(new Dictionary<string, string?>
        {
            ["Connector:Salesforce:BulkQueryThreshold"] = "2",
            ["Connector:Salesforce:BulkPageSize"] = "2",
            ["Connector:Salesforce:BulkPollInterval"] = "00:00:00.010",
        });
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();

        // Act
        var first = await cycle.RunAsync(cancellationToken);
        var jobs = sandbox.Org.QueryJobsCreated;
        var second = await cycle.RunAsync(cancellationToken);

        // Assert: what a REST backfill gives (see the seed), in a few calls; then incremental polls, no more jobs.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(jobs, Is.EqualTo(4), "accounts, orders, order products and usage records: more than 2 records each");
            Assert.That((first.Read("Order"), first.Read("OrderItem")), Is.EqualTo((3, 7)));
            Assert.That(first.InvoicesPosted.Select(i => i.Total.ToPlainString()), Is.EqualTo(new[] { AcmeFirstTotal, GlobexFirstTotal(SandboxHarness.Today), "1000.00" }));
            Assert.That(first.Quarantined, Has.Count.EqualTo(1), "the Usage line, as with REST");
            Assert.That(sandbox.Org.QueryJobsCreated, Is.EqualTo(jobs));
            Assert.That(second.InvoicesPosted, Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_AccountAddressChangedAlone_NextInvoicePrintsTheNewAddress(CancellationToken cancellationToken)
    {
        // Arrange: a first cycle; then the buyer moves, without any change to its orders.
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        await cycle.RunAsync(cancellationToken);
        var acme = sandbox.Org.Data.All("Account").Single(a => a["Name"]!.GetValue<string>() == "Acme Iberia SL")["Id"]!.GetValue<string>();
        sandbox.Org.Data.Update("Account", acme, new JsonObject { ["BillingStreet"] = "Paseo de la Castellana 200" });

        // Act
        var second = await cycle.RunAsync(cancellationToken);

        // Assert
        var orders = await host.Services.GetRequiredService<InvoiceStore>().LoadBillableOrdersAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            // The three accounts the first cycle wrote back (their figures) are read again, the moved one among them:
            // the org stamps our own writes too, and a change by someone else in between must not be missed.
            Assert.That(second.Read("Account"), Is.EqualTo(3));
            Assert.That(orders.First(o => o.Account.AccountId == acme).Account.Street, Is.EqualTo("Paseo de la Castellana 200"));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_BacklogLargerThanTheBatch_IsDrainedInOneCycle(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost(new Dictionary<string, string?> { ["Connector:Sync:WriteBackBatchSize"] = "2" });
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.TotalWrittenBack, Is.EqualTo(24), "3 invoices, 3 orders, 3 accounts, 3 PDFs, 3 UBL files and the PDFs' 3 links, 2 usage summaries and 4 usage records");
            Assert.That(await host.Services.GetRequiredService<OutboxStore>().CountByStatusAsync(cancellationToken), Is.EquivalentTo(new Dictionary<string, int> { ["Done"] = 24 }));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_RunTwice_SecondAddsNothingAndOnlyPolls(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        await cycle.RunAsync(cancellationToken);
        var callsBefore = sandbox.Org.ApiCalls;
        var invoicesBefore = sandbox.Org.Data.All("Connector_Invoice__c").Select(r => r.ToJsonString()).ToList();

        // Act
        var second = await cycle.RunAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.InvoicesPosted, Is.Empty);
            Assert.That(second.TotalWrittenBack, Is.Zero);
            // The orders changed in the org because we wrote their invoice fields: the poll reads those echoes, maps them
            // to the same billing input, and bills nothing new.
            Assert.That(second.Read("Order"), Is.EqualTo(3));
            Assert.That(second.Read("OrderItem"), Is.Zero);
            Assert.That(sandbox.Org.ApiCalls - callsBefore, Is.EqualTo(7), "one query per source (accounts, contracts, orders, order products, consumption schedules and rates, usage), nothing written");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c").Select(r => r.ToJsonString()), Is.EqualTo(invoicesBefore));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Restart_AfterPostingBeforeWriteBack_NothingLostNorDoubled(CancellationToken cancellationToken)
    {
        // Arrange: the first process ingests, posts and renders, then stops before writing back.
        using var sandbox = new SandboxHarness();
        int posted;
        using (var first = sandbox.BuildHost())
        {
            await ConnectorHost.PrepareAsync(first, cancellationToken);
            var report = new CycleReport();
            await first.Services.GetRequiredService<IngestStep>().RunAsync(report, cancellationToken);
            await first.Services.GetRequiredService<SyncCycle>().BillAndRenderAsync(report, cancellationToken);
            posted = report.InvoicesPosted.Count;
            await first.StopAsync(cancellationToken);
        }

        var beforeRestart = sandbox.Org.Data.All("Connector_Invoice__c").Count;

        // Act: a new process starts on the same database.
        using var second = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(second, cancellationToken);
        var resumed = await second.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);
        var again = await second.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var outbox = await second.Services.GetRequiredService<OutboxStore>().CountByStatusAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(posted, Is.EqualTo(3));
            Assert.That(beforeRestart, Is.Zero);
            Assert.That(resumed.InvoicesPosted, Is.Empty, "nothing is billed twice");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
            Assert.That(again.TotalWrittenBack, Is.Zero);
            Assert.That(outbox.Keys, Is.EquivalentTo(new[] { "Done" }));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Restart_AfterUploadLandedBeforeItWasRecorded_FileIsNotUploadedTwice(CancellationToken cancellationToken)
    {
        // Arrange: a full cycle, then one file's outbox row put back as if the process died right after the upload.
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);
        await using (var connection = await host.Services.GetRequiredService<ConnectorDatabase>().OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE outbox SET status = 'Pending', completed_at = NULL WHERE id = (SELECT MIN(id) FROM outbox WHERE topic = 'document')";
            Assert.That(await command.ExecuteNonQueryAsync(cancellationToken), Is.EqualTo(1));
        }

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.WrittenBack, Is.EquivalentTo(new Dictionary<string, int> { ["ContentVersion"] = 1, ["PDF link"] = 1 }));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Cycle_SessionExpiresOrgBusyRowLockedAndACallTimesOutMidRun_EveryRecordWrittenOnce(CancellationToken cancellationToken)
    {
        // Arrange
        using var sandbox = new SandboxHarness();
        using var host = sandbox.BuildHost(new Dictionary<string, string?>
        {
            ["Connector:Sync:WriteBackRetryDelay"] = "00:00:00",
            ["Connector:Salesforce:AttemptTimeout"] = "00:00:01",
        });
        await ConnectorHost.PrepareAsync(host, cancellationToken);
        var report = new CycleReport();
        await host.Services.GetRequiredService<IngestStep>().RunAsync(report, cancellationToken);
        await host.Services.GetRequiredService<SyncCycle>().BillAndRenderAsync(report, cancellationToken);

        // Act: right when write-back starts the session is revoked (401) and the org answers 503 twice; one invoice
        // record is locked by a trigger; the update of the PDF links is done by the org but answered too late (timeout).
        sandbox.Org.Faults.ExpireSessions();
        sandbox.Org.Faults.FailNextCalls(2);
        sandbox.Org.Faults.LockRecordsOnce("INV-000002");
        sandbox.Org.Faults.HangFor = TimeSpan.FromSeconds(2);
        sandbox.Org.Faults.HangNextCalls(1, r => r.Method == "PATCH");
        var writeBack = host.Services.GetRequiredService<WriteBackStep>();
        await writeBack.RunAsync(report, cancellationToken);
        await writeBack.RunAsync(report, cancellationToken); // what was rescheduled is due again at once

        // Assert
        var invoices = sandbox.Org.Data.All("Connector_Invoice__c");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.WriteBackFailures.Single(), Does.Contain("UNABLE_TO_LOCK_ROW").And.Contain("retrying"));
            Assert.That(report.ParkedWriteBacks, Is.Zero);
            Assert.That(sandbox.Org.TokensIssued, Is.EqualTo(2));
            Assert.That(report.WrittenBack, Is.EquivalentTo(new Dictionary<string, int>
            {
                ["Connector_Invoice__c"] = 3, ["Order"] = 3, ["Account"] = 3, ["ContentVersion"] = 3 * OrgFiles.PerDocument, ["PDF link"] = 3,
                ["Connector_Usage_Summary__c"] = 2, ["Connector_Usage__c"] = 4,
            }));
            Assert.That(invoices, Has.Count.EqualTo(3));
            Assert.That(invoices.Select(i => i["Connector_PDF_Link__c"]), Has.None.Null);
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
            Assert.That(sandbox.Org.Data.All("Order").Count(o => o["Connector_Last_Invoice_Number__c"] is not null), Is.EqualTo(3));
            Assert.That(sandbox.Org.Faults.CallsHung, Is.EqualTo(1), "the link update timed out once and was sent again (an update by Id is idempotent)");
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task Ingest_LineWithoutPriceAndLineWithUnknownPicklist_QuarantinedWithReasonsRestBilled(CancellationToken cancellationToken)
    {
        // Arrange: an extra Acme line with no UnitPrice (the seed already has a Usage line at Initech).
        using var sandbox = new SandboxHarness(org =>
        {
            var acmeOrder = org.Data.All("Order").Single(o => o["OrderNumber"]!.GetValue<string>() == "00000101")["Id"]!.GetValue<string>();
            var product = org.Data.All("Product2")[0]["Id"]!.GetValue<string>();
            org.Data.Insert("OrderItem", new JsonObject
            {
                ["OrderId"] = acmeOrder, ["Product2Id"] = product, ["Quantity"] = 1, ["UnitPrice"] = null,
                ["ServiceDate"] = "2026-01-01", ["SBQQ__ChargeType__c"] = "One-Time",
            });
        });
        using var host = sandbox.BuildHost();
        await ConnectorHost.PrepareAsync(host, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        var quarantine = await host.Services.GetRequiredService<QuarantineStore>().OpenAsync(cancellationToken);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(quarantine.Select(q => q.Reason), Has.Exactly(1).EndsWith("UnitPrice is empty (rule: unitPrice is required)"));
            Assert.That(quarantine.Select(q => q.Reason), Has.Exactly(1).Contains("its charge type is Usage but it has no active consumption schedule"));
            Assert.That(quarantine.Select(q => q.Payload), Has.All.Contains("\"Id\""), "the record is kept as received");
            Assert.That(report.InvoicesPosted, Has.Count.EqualTo(3));
            Assert.That(report.InvoicesPosted.Single(i => i.Buyer.Name == "Acme Iberia SL").Total.ToPlainString(), Is.EqualTo(AcmeFirstTotal));
        }
    }

    [TestCase("2026-12-31")]
    [TestCase("2027-01-31")]
    [TestCase("2027-02-28")]
    [TestCase("2028-02-29")]
    [TestCase("2028-03-01")]
    [TestCase("2027-12-01")]
    [CancelAfter(60_000)]
    public async Task Cycle_OnAFixedDate_BillsWhatThatCalendarSaysAndWritesItBack(string day, CancellationToken cancellationToken)
    {
        // Arrange: the org and the connector both live on that day (month ends, leap days, year ends).
        var today = DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var sandbox = new SandboxHarness(time: new ShiftedTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero)));
        using var host = await sandbox.PreparedHostAsync(null, cancellationToken);

        // Act
        var report = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.InvoicesPosted.Select(i => i.IssueDate).Distinct(), Is.EqualTo(new[] { today }));
            Assert.That(report.InvoicesPosted.Select(i => i.Total.ToPlainString()), Is.EqualTo(new[] { AcmeFirstTotal, GlobexFirstTotal(today), "1000.00" }),
                string.Join("\n", report.InvoicesPosted.SelectMany(i => i.Lines).Select(l => $"{l.Description} {l.Period.Start}..{l.Period.End} {l.ProrationFactor} {l.Net} {l.Explanation}")));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(3));
            Assert.That(report.WriteBackFailures, Is.Empty);
        }
    }

    /// <summary>
    /// The seed's Globex order starts on the 15th of last month; by CPQ's Monthly + Daily rule each piece of a billing
    /// month counts its days over that month's days, so the figure follows the calendar the test runs on:
    /// - platform: last month's leading part (17/31 of 1,200.00 is 658.06, 16/30 is 640.00) and this month's 1,200.00;
    /// - annual support (4,800.00 in advance), cut at this month's start: the leading part (that many days ÷ last month's
    ///   days ÷ 12), then 11 whole months and the 14 days of the same month next year (÷ its days ÷ 12). When the two
    ///   Februaries differ (29 and 28 days) the pieces add up to a little more than 4,800.00, as CPQ bills it.
    /// </summary>
    /// <summary>Acme's first invoice: 3 months of 1,000.00, 2,500.00 onboarding, and two months of API calls by usage (8,500 calls at 0.002 = 17.00; 18,250 = 10,000 × 0.002 + 8,250 × 0.001 = 28.25).</summary>
    private const string AcmeFirstTotal = "6709.75"; // 5,545.25 and 21 % IVA: Acme is in Spain

    private static string GlobexFirstTotal(DateOnly today)
    {
        var previous = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var days = DateTime.DaysInMonth(previous.Year, previous.Month);
        var daysNextYear = DateTime.DaysInMonth(previous.Year + 1, previous.Month);
        static decimal Factor(decimal months) => Math.Round(months, 9, MidpointRounding.AwayFromZero);
        static decimal Money(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var lead = (decimal)(days - 14) / days;
        var platform = Money(1_200m * Factor(lead)) + 1_200m;
        var support = Money(4_800m * Factor(lead / 12m)) + Money(4_800m * Factor((11m + (14m / daysNextYear)) / 12m));
        return (platform + support).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The document number (cbc:ID) a UBL file states.</summary>
    private static string UblNumber(byte[] xml) =>
        System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Root!
            .Element(System.Xml.Linq.XName.Get("ID", "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"))!.Value;
}
