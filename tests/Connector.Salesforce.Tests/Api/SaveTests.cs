using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;

namespace Connector.Salesforce.Tests.Api;

/// <summary>SalesforceClient.SaveAsync against the sandbox org: Composite packing under the Bulk threshold, Bulk API 2.0 ingest above it.</summary>
[TestFixture]
public sealed class SaveTests
{
    private static JsonObject Invoice(int i, decimal total = 100m) => new()
    {
        ["Connector_Invoice_Key__c"] = "INV-" + i.ToString("00000", CultureInfo.InvariantCulture),
        ["Name"] = "INV-" + i.ToString("00000", CultureInfo.InvariantCulture),
        ["Connector_Total_Amount__c"] = total,
        ["Connector_Status__c"] = "Posted",
        ["Connector_PDF_Link__c"] = null,
    };

    private static List<JsonObject> AccountUpdates(SandboxOrgClient sandbox, decimal balance) =>
        [.. sandbox.Org.Data.All("Account").Select(a => new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = "Account" },
            ["Id"] = a["Id"]!.GetValue<string>(),
            ["Connector_Balance__c"] = balance,
        })];

    [Test, CancelAfter(60_000)]
    public async Task SaveAsync_TwoObjectsUnderTheBulkThreshold_ShareOneCompositeCallInOrderWithResultsPerRecord(CancellationToken cancellationToken)
    {
        // Arrange: 450 invoices (3 chunks) and the seed's 3 accounts (1 chunk): 4 collections subrequests.
        using var sandbox = new SandboxOrgClient();
        var invoices = Enumerable.Range(0, 450).Select(i => Invoice(i)).ToList();
        invoices[7]["Connector_Status__c"] = "Imaginary"; // refused by the restricted picklist, alone

        // Act
        var results = await sandbox.Client.SaveAsync(
            [new SaveRequest("Connector_Invoice__c", "Connector_Invoice_Key__c", invoices), new SaveRequest("Account", null, AccountUpdates(sandbox, 42.5m))],
            cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.DataCalls.Select(c => c.Path), Is.EqualTo(new[] { "/services/data/v62.0/composite" }), "one API call for 453 records of two objects");
            Assert.That(results[0], Has.Count.EqualTo(450));
            Assert.That(results[0].Count(r => r.Success && r.Created == true), Is.EqualTo(449));
            Assert.That(results[0][7].Errors.Select(e => e.StatusCode), Is.EqualTo(new[] { "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" }));
            Assert.That(sandbox.Org.Data.FindBy("Connector_Invoice__c", "Connector_Invoice_Key__c", "INV-00449")!["Id"]!.GetValue<string>(), Is.EqualTo(results[0][449].Id));
            Assert.That(results[1].Select(r => r.Success), Is.All.True);
            Assert.That(sandbox.Org.Data.All("Account").Select(a => a["Connector_Balance__c"]!.GetValue<decimal>()), Is.All.EqualTo(42.5m));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SaveAsync_MoreChunksThanOneCompositeCallTakes_SplitsIntoCallsOfFive(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxOrgClient();

        // 1,201 invoices = 7 chunks of at most 200: a Composite call of 5 and one of 2.
        var results = await sandbox.Client.UpsertAsync("Connector_Invoice__c", "Connector_Invoice_Key__c", [.. Enumerable.Range(0, 1_201).Select(i => Invoice(i))], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.DataCalls.Count(c => c.Path.EndsWith("/composite", StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(results.Count(r => r.Success), Is.EqualTo(1_201));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(1_201));
        }
    }

    [TestCase(1_000)]
    [TestCase(3_000)]
    [CancelAfter(120_000)]
    public async Task SaveAsync_AboveTheBulkThreshold_OneIngestJobOfSevenCallsWhateverTheCount(int count, CancellationToken cancellationToken)
    {
        // Arrange: half the invoices exist already (updated, not created).
        using var sandbox = new SandboxOrgClient(s => s["Connector:Salesforce:BulkWriteThreshold"] = "500");
        foreach (var invoice in Enumerable.Range(0, count / 2).Select(i => Invoice(i, 1m)))
        {
            sandbox.Org.Data.Insert("Connector_Invoice__c", invoice);
        }

        var invoices = Enumerable.Range(0, count).Select(i => Invoice(i, 100m + i)).ToList();

        // Act
        var results = await sandbox.Client.UpsertAsync("Connector_Invoice__c", "Connector_Invoice_Key__c", invoices, cancellationToken);

        // Assert: create, upload, close, poll, and three result reads, whatever the count.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.DataCalls, Has.Count.EqualTo(7));
            Assert.That(sandbox.Org.IngestJobsCreated, Is.EqualTo(1));
            Assert.That(results.Select(r => r.Success), Is.All.True);
            Assert.That(results.Take(count / 2).Select(r => r.Created), Is.All.False);
            Assert.That(results.Skip(count / 2).Select(r => r.Created), Is.All.True);
            Assert.That(results[count - 1].Id, Is.EqualTo(sandbox.Org.Data.FindBy("Connector_Invoice__c", "Connector_Invoice_Key__c", invoices[^1]["Connector_Invoice_Key__c"]!.GetValue<string>())!["Id"]!.GetValue<string>()));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c").Sum(r => r["Connector_Total_Amount__c"]!.GetValue<decimal>()),
                Is.EqualTo(Enumerable.Range(0, count).Sum(i => 100m + i)));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SaveAsync_BulkJobWithALockedRowAndAnAbort_ReturnsRetryableFailuresForThoseRecordsOnly(CancellationToken cancellationToken)
    {
        // Arrange: one row locked; the org aborts the job after 600 of 1,000 records.
        using var sandbox = new SandboxOrgClient(s => s["Connector:Salesforce:BulkWriteThreshold"] = "500");
        sandbox.Org.Faults.LockRecordsOnce("INV-00010");
        sandbox.Org.AbortNextIngestJobAfter = 600;
        var invoices = Enumerable.Range(0, 1_000).Select(i => Invoice(i)).ToList();
        invoices[20]["Connector_Status__c"] = "Imaginary";

        // Act
        var results = await sandbox.Client.UpsertAsync("Connector_Invoice__c", "Connector_Invoice_Key__c", invoices, cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results[10].Errors.Single().StatusCode, Is.EqualTo("UNABLE_TO_LOCK_ROW"));
            Assert.That(results[10].IsRetryable, Is.True);
            Assert.That(results[20].Errors.Single().StatusCode, Is.EqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"));
            Assert.That(results[20].Errors.Single().Fields, Is.EqualTo(new[] { "Connector_Status__c" }));
            Assert.That(results[20].IsRetryable, Is.False);
            Assert.That(results.Skip(600).Select(r => r.Errors.Single().StatusCode), Is.All.EqualTo("BULK_UNPROCESSED"));
            Assert.That(results.Skip(600).Select(r => r.IsRetryable), Is.All.True);
            Assert.That(results.Take(600).Count(r => r.Success), Is.EqualTo(598));
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(598));
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SaveAsync_BulkJobStillRunningAtTheTimeout_IsAbortedAndEveryRecordComesBackRetryable(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxOrgClient(s =>
        {
            s["Connector:Salesforce:BulkWriteThreshold"] = "10";
            s["Connector:Salesforce:BulkJobTimeout"] = "00:00:00.300";
        });
        sandbox.Org.IngestJobsStall = true;

        var results = await sandbox.Client.UpsertAsync("Connector_Invoice__c", "Connector_Invoice_Key__c", [.. Enumerable.Range(0, 50).Select(i => Invoice(i))], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r.Errors.Single().StatusCode), Is.All.EqualTo("BULK_UNPROCESSED"));
            Assert.That(results.Select(r => r.IsRetryable), Is.All.True);
            Assert.That(sandbox.DataCalls.Count(c => c.Method == "PATCH"), Is.EqualTo(2), "closed, then aborted");
            Assert.That(sandbox.Org.Data.All("Connector_Invoice__c"), Is.Empty);
        }
    }

    [Test, CancelAfter(60_000)]
    public async Task SaveAsync_UpdatesAboveTheBulkThreshold_UpdateByIdAndWriteNullsAsNA(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxOrgClient(s => s["Connector:Salesforce:BulkWriteThreshold"] = "2");
        var first = sandbox.Org.Data.All("Account")[0]["Id"]!.GetValue<string>();
        sandbox.Org.Data.Update("Account", first, new JsonObject { ["Connector_Overdue_Amount__c"] = 5m });
        var updates = AccountUpdates(sandbox, 7m);
        updates[0]["Connector_Overdue_Amount__c"] = null;
        updates[1]["BillingCity"] = "Zaragoza, Aragón \"ES\"";

        var results = await sandbox.Client.UpdateAsync(updates, cancellationToken);

        var accounts = sandbox.Org.Data.All("Account");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r.Id), Is.EqualTo(accounts.Select(a => a["Id"]!.GetValue<string>())));
            Assert.That(accounts[0]["Connector_Overdue_Amount__c"], Is.Null);
            Assert.That(accounts[1]["BillingCity"]!.GetValue<string>(), Is.EqualTo("Zaragoza, Aragón \"ES\""));
            Assert.That(accounts.Select(a => a["Connector_Balance__c"]!.GetValue<decimal>()), Is.All.EqualTo(7m));
            Assert.That(sandbox.Org.IngestJobsCreated, Is.EqualTo(1));
        }
    }
}
