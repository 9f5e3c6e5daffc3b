using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Salesforce.Tests.Api;

[TestFixture]
public sealed class SalesforceClientTests
{
    [Test, CancelAfter(20_000)]
    public async Task QueryPagesAsync_MoreRecordsThanOneBatch_FollowsNextRecordsUrl(CancellationToken cancellationToken)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                totalSize = 3, done = false, nextRecordsUrl = FakeOrg.Data + "/query/01gXX-2", records = new[] { new { Id = "1" }, new { Id = "2" } },
            }));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query/01gXX-2").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 3, done = true, records = new[] { new { Id = "3" } } }));

        // Act
        var pages = new List<int>();
        var ids = new List<string>();
        await foreach (var page in org.Client.QueryPagesAsync("SELECT Id FROM Order", cancellationToken))
        {
            pages.Add(page.Count);
            ids.AddRange(page.Select(r => r["Id"]!.GetValue<string>()));
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages, Is.EqualTo(new[] { 2, 1 }));
            Assert.That(ids, Is.EqualTo(new[] { "1", "2", "3" }));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_ConcurrentRequestsLimitOnce_BacksOffRetriesAndDoesNotPauseTheBudget(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("crowded").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"""));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("crowded").WhenStateIs("free")
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));

        await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(org.Calls(FakeOrg.Data + "/query"), Is.EqualTo(2));
            Assert.That(org.Services.GetRequiredService<Connector.Salesforce.Limits.ApiBudget>().InCooldown, Is.False, "a crowded moment is not a spent allocation");
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task QueryAsync_OrgKeepsFailing_CircuitOpensAndCallsFailFastWithoutReachingTheOrg(CancellationToken cancellationToken)
    {
        // Arrange: every query meets 503; each call makes 1 + 4 attempts.
        using var org = new FakeOrg(s => s["Connector:Salesforce:CircuitBreakDuration"] = "00:05:00");
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""[{"message":"down","errorCode":"SERVER_UNAVAILABLE"}]"""));
        for (var i = 0; i < 2; i++)
        {
            Assert.That(async () => await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken), Throws.Exception);
        }

        var before = org.Calls(FakeOrg.Data + "/query");

        // Act
        var error = await Assert.CatchAsync(async () => await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error, Is.InstanceOf<Polly.CircuitBreaker.BrokenCircuitException>());
            Assert.That(org.Calls(FakeOrg.Data + "/query"), Is.EqualTo(before), "an open circuit does not call the org");
            Assert.That(before, Is.LessThanOrEqualTo(10), "the circuit opened after at most ten failed attempts");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_ServiceUnavailableOnce_RetriesAndSucceeds(CancellationToken cancellationToken)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("busy").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""[{"message":"try later","errorCode":"SERVER_UNAVAILABLE"}]"""));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("busy").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() })
                .WithHeader("Sforce-Limit-Info", "api-usage=18/5000"));

        // Act
        await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken);

        // Assert: both attempts count against the org's allocation, and the header is read.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(org.Calls(FakeOrg.Data + "/query"), Is.EqualTo(2));
            Assert.That(org.Usage.Calls, Is.EqualTo(2));
            Assert.That(org.Usage.Last, Is.EqualTo(new Connector.Salesforce.Limits.LimitInfo(18, 5000)));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UpsertAsync_450Records_ThreeCallsOf200AtMostWithResultsInOrder(CancellationToken cancellationToken)
    {
        // Arrange: the fake answers each record in order, created for even keys. One collections call per Composite call
        // (SaveTests covers the packing).
        using var org = new FakeOrg(s => s["Connector:Salesforce:CollectionsPerCompositeCall"] = "1");
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/composite/sobjects/Invoice__c/Key__c").UsingPatch())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var records = JsonNode.Parse(request.Body!)!["records"]!.AsArray();
                var results = new JsonArray([.. records.Select(r =>
                {
                    var key = int.Parse(r!["Key__c"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                    return (JsonNode)new JsonObject { ["id"] = $"a00{key:000000000000}AAA", ["success"] = true, ["errors"] = new JsonArray(), ["created"] = key % 2 == 0 };
                })]);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData { DetectedBodyType = WireMock.Types.BodyType.String, BodyAsString = results.ToJsonString() },
                };
            }));
        var input = Enumerable.Range(0, 450).Select(i => new JsonObject { ["Key__c"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();

        // Act
        var results = await org.Client.UpsertAsync("Invoice__c", "Key__c", input, cancellationToken);

        // Assert
        var bodies = org.Server.LogEntries.Where(e => e.RequestMessage.Method == "PATCH").Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bodies.Select(b => b["records"]!.AsArray().Count), Is.EqualTo(new[] { 200, 200, 50 }));
            Assert.That(bodies.Select(b => b["allOrNone"]!.GetValue<bool>()), Is.All.False);
            Assert.That(bodies[0]["records"]![0]!["attributes"]!["type"]!.GetValue<string>(), Is.EqualTo("Invoice__c"));
            Assert.That(results.Select(r => r.Id), Is.EqualTo(Enumerable.Range(0, 450).Select(i => $"a00{i:000000000000}AAA")));
            Assert.That(results[10].Created, Is.True);
            Assert.That(results[11].Created, Is.False);
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UpsertAsync_PerRecordErrors_AreReturnedAndClassified(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/composite/sobjects/Invoice__c/Key__c").UsingPatch())
            .RespondWith(Response.Create().WithBody("""
                [{"id":"a001","success":true,"errors":[],"created":true},
                 {"success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record","fields":[]}]},
                 {"success":false,"errors":[{"statusCode":"INVALID_FIELD","message":"No such column","fields":["Total__c"]}]}]
                """));

        var results = await org.Client.UpsertAsync("Invoice__c", "Key__c", [new() { ["Key__c"] = "1" }, new() { ["Key__c"] = "2" }, new() { ["Key__c"] = "3" }], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r.Success), Is.EqualTo(new[] { true, false, false }));
            Assert.That(results[1].IsRetryable, Is.True);
            Assert.That(results[2].IsRetryable, Is.False);
            Assert.That(results[2].ToString(), Is.EqualTo("INVALID_FIELD: No such column (Total__c)"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UploadFileAsync_Pdf_SendsMultipartWithEntityContentAndVersionData(CancellationToken cancellationToken)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/sobjects/ContentVersion").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"id":"068000000000001AAA","success":true,"errors":[]}"""));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 fake");

        // Act
        var id = await org.Client.UploadFileAsync(new FileUpload("INV-000001.pdf", "INV-000001", pdf, "a00000000000001AAA", "Key__c", "INV-000001:abc"), cancellationToken);

        // Assert
        var request = org.Server.LogEntries.Single(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("ContentVersion", StringComparison.Ordinal)).RequestMessage;
        var body = Encoding.UTF8.GetString(request.BodyAsBytes ?? Encoding.UTF8.GetBytes(request.Body ?? ""));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(id, Is.EqualTo("068000000000001AAA"));
            Assert.That(request.Headers!["Content-Type"].Single(), Does.StartWith("multipart/form-data"));
            Assert.That(body, Does.Contain("name=entity_content").And.Contain("\"FirstPublishLocationId\":\"a00000000000001AAA\"").And.Contain("\"Key__c\":\"INV-000001:abc\""));
            Assert.That(body, Does.Contain("name=VersionData").And.Contain("%PDF-1.4 fake"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task UploadFileAsync_NetworkTimeout_IsNotRetriedBlindly(CancellationToken cancellationToken)
    {
        // Arrange: a create that times out may have committed; it must not be replayed by the pipeline.
        using var sandbox = new SandboxOrgClient(s => s["Connector:Salesforce:AttemptTimeout"] = "00:00:00.200");
        var account = sandbox.Org.Data.All("Account")[0]["Id"]!.GetValue<string>();
        sandbox.Org.Faults.HangFor = TimeSpan.FromSeconds(5);
        sandbox.Org.Faults.HangNextCalls(10, r => r.Method == "POST" && r.Path.EndsWith("/sobjects/ContentVersion", StringComparison.Ordinal));

        // Act
        await Assert.ThatAsync(() => sandbox.Client.UploadFileAsync(new FileUpload("a.pdf", "a", [1], account, "Connector_Content_Key__c", "k"), cancellationToken),
            Throws.InstanceOf<Polly.Timeout.TimeoutRejectedException>());

        // Assert: the pipeline has given up, so any replay it made has already reached the org (which logs a call as it arrives).
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.DataCalls.Count(c => c.Path.EndsWith("/sobjects/ContentVersion", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(1), "the create committed, once");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_DoneOfTheWrongType_IsTheOrgsMalformedAnswerNotACrash(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"totalSize":1,"done":"yes","records":[]}"""));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo("MALFORMED_RESPONSE"));
            Assert.That(ex.Message, Does.Contain("a query response that does not parse"));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_HtmlInsteadOfJson_BecomesAClearError(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("<html>maintenance</html>"));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken));

        Assert.That(ex!.ErrorCode, Is.EqualTo("MALFORMED_RESPONSE"));
    }

    [TestCase("""{"deletedRecords":[{"id":"a0I000000000001AAA","deletedDate":"last tuesday"}],"latestDateCovered":"2026-11-23T10:00:00.000+0000"}""")]
    [TestCase("""{"deletedRecords":[{"id":42,"deletedDate":"2026-11-23T10:00:00.000+0000"}],"latestDateCovered":"2026-11-23T10:00:00.000+0000"}""")]
    [TestCase("""{"deletedRecords":{}}""")]
    [CancelAfter(20_000)]
    public async Task GetDeletedAsync_MalformedResponse_IsAClearErrorNotACrash(string body, CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/sobjects/Order/deleted/").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(body));
        var now = TimeProvider.System.GetUtcNow();

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.GetDeletedAsync("Order", now.AddDays(-1), now, cancellationToken));

        Assert.That(ex!.ErrorCode, Is.EqualTo("MALFORMED_RESPONSE"));
    }

    [Test, CancelAfter(20_000)]
    public async Task UpsertAsync_ResultWithAWrongTypedValue_IsAClearErrorNotACrash(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg(s => s["Connector:Salesforce:CollectionsPerCompositeCall"] = "1");
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/composite/sobjects/Invoice__c/Key__c").UsingPatch())
            .RespondWith(Response.Create().WithBody("""[{"id":17,"success":true,"errors":[]}]"""));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.UpsertAsync("Invoice__c", "Key__c", [new JsonObject { ["Key__c"] = "1" }], cancellationToken));

        Assert.That(ex!.ErrorCode, Is.EqualTo("MALFORMED_RESPONSE"));
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_InvalidField_SurfacesSalesforcesErrorCode(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""[{"message":"No such column 'blng__X__c' on entity 'Order'","errorCode":"INVALID_FIELD"}]"""));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.QueryAsync("SELECT blng__X__c FROM Order", cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(ex.ErrorCode, Is.EqualTo("INVALID_FIELD"));
            Assert.That(ex.Message, Does.Contain("blng__X__c"));
        }

    }
}
