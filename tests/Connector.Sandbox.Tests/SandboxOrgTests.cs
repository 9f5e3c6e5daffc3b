using System.Text;
using System.Text.Json.Nodes;

namespace Connector.Sandbox.Tests;

[TestFixture]
public sealed class SandboxOrgTests
{
    private SandboxCredentials _credentials = null!;
    private SandboxOrg _org = null!;
    private SandboxServer _server = null!;
    private HttpClient _http = null!;
    private string _token = null!;

    [SetUp]
    public void SeedOrg()
    {
        _credentials = new SandboxCredentials();
        _org = new SandboxOrg(_credentials, TimeProvider.System);
        SandboxSeed.Default(_org.Data, new DateOnly(2026, 3, 15));
        _server = SandboxServer.Start(_org);
        _http = new HttpClient { BaseAddress = _server.Url };
        var token = (Post("/services/oauth2/token", "grant_type=client_credentials&client_id=" + Uri.EscapeDataString(_credentials.ClientId) + "&client_secret=" + _credentials.ClientSecret));
        _token = JsonNode.Parse(token.Body)!["access_token"]!.GetValue<string>();
    }

    [TearDown]
    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _credentials.Dispose();
    }

    [Test]
    public void Query_SmallPageSize_PaginatesWithNextRecordsUrlUntilDone()
    {
        // Arrange
        _org.QueryPageSize = 2;

        // Act
        var first = Json(Get("/services/data/v62.0/query", "SELECT Id, Name FROM Account ORDER BY Name"));
        var second = Json(Get(first["nextRecordsUrl"]!.GetValue<string>()));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["totalSize"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(first["done"]!.GetValue<bool>(), Is.False);
            Assert.That(Names(first).Concat(Names(second)), Is.EqualTo(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd" }));
            Assert.That(second["done"]!.GetValue<bool>(), Is.True);
            Assert.That(second.ContainsKey("nextRecordsUrl"), Is.False);
        }
    }

    [Test]
    public void Query_RelationshipFieldsAndFilters_ReturnNestedObjects()
    {
        var result = Json(Get("/services/data/v62.0/query",
            "SELECT Id, Product2.Name, Order.Account.BillingCountry FROM OrderItem WHERE Order.Status = 'Activated' AND (SBQQ__ChargeType__c IN ('Recurring') OR Quantity >= 20) ORDER BY Product2.Name DESC LIMIT 2"));

        var records = result["records"]!.AsArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records, Has.Count.EqualTo(2));
            Assert.That(records.Select(r => r!["Product2"]!["Name"]!.GetValue<string>()), Is.EqualTo(new[] { "Premium Support", "Platform Subscription" }));
            Assert.That(records[0]!["Order"]!["Account"]!["BillingCountry"]!.GetValue<string>(), Is.EqualTo("DE"));
            Assert.That(records[0]!["attributes"]!["type"]!.GetValue<string>(), Is.EqualTo("OrderItem"));
        }
    }

    [Test]
    public void Query_SemiJoin_SelectsAccountsWithActivatedOrdersOnly()
    {
        // Initech has a draft order too, but also an activated one; an account with only a draft order is left out.
        var lonely = _org.Data.Insert("Account", new JsonObject { ["Name"] = "Draft Only Ltd" });
        _org.Data.Insert("Order", new JsonObject { ["OrderNumber"] = "00000999", ["AccountId"] = lonely, ["Status"] = "Draft" });

        var result = Json(Get("/services/data/v62.0/query", "SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Order WHERE Status = 'Activated') ORDER BY Name"));

        Assert.That(Names(result), Is.EqualTo(new[] { "Acme Iberia SL", "Globex GmbH", "Initech Ltd" }));
    }

    [Test]
    public void Query_DateTimeLiteral_FiltersOnSystemModstamp()
    {
        var all = Json(Get("/services/data/v62.0/query", "SELECT Id FROM Order WHERE SystemModstamp > 2026-01-01T00:00:00.000Z"));
        var none = Json(Get("/services/data/v62.0/query", "SELECT Id FROM Order WHERE SystemModstamp > 2026-03-01T00:00:00.000Z"));

        Assert.That((all["totalSize"]!.GetValue<int>(), none["totalSize"]!.GetValue<int>()), Is.EqualTo((4, 0)));
    }

    [Test]
    public void Query_BillingPackageField_IsInvalidFieldBecauseBillingIsNotInstalled()
    {
        var response = Get("/services/data/v62.0/query", "SELECT Id, blng__BillingDayOfMonth__c FROM Order");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(400));
            Assert.That(JsonNode.Parse(response.Body)![0]!["errorCode"]!.GetValue<string>(), Is.EqualTo("INVALID_FIELD"));
            Assert.That(response.Headers["Sforce-Limit-Info"], Does.Match(@"^api-usage=\d+/15000$"));
        }
    }

    [Test]
    public void Upsert_SameExternalIdTwice_CreatesThenUpdates()
    {
        var body = """{"allOrNone":false,"records":[{"attributes":{"type":"Connector_Invoice__c"},"Connector_Invoice_Key__c":"INV-1","Name":"INV-1"}]}""";

        var first = JsonNode.Parse(Patch("/services/data/v62.0/composite/sobjects/Connector_Invoice__c/Connector_Invoice_Key__c", body).Body)!.AsArray();
        var second = JsonNode.Parse(Patch("/services/data/v62.0/composite/sobjects/Connector_Invoice__c/Connector_Invoice_Key__c", body).Body)!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first[0]!["created"]!.GetValue<bool>(), Is.True);
            Assert.That(second[0]!["created"]!.GetValue<bool>(), Is.False);
            Assert.That(second[0]!["id"]!.GetValue<string>(), Is.EqualTo(first[0]!["id"]!.GetValue<string>()));
            Assert.That(_org.Data.All("Connector_Invoice__c"), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Upsert_UnknownField_FailsThatRecordOnly()
    {
        var body = """{"allOrNone":false,"records":[{"Connector_Invoice_Key__c":"INV-1"},{"Connector_Invoice_Key__c":"INV-2","Nope__c":1}]}""";

        var results = JsonNode.Parse(Patch("/services/data/v62.0/composite/sobjects/Connector_Invoice__c/Connector_Invoice_Key__c", body).Body)!.AsArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r!["success"]!.GetValue<bool>()), Is.EqualTo(new[] { true, false }));
            Assert.That(results[1]!["errors"]![0]!["statusCode"]!.GetValue<string>(), Is.EqualTo("INVALID_FIELD"));
        }
    }

    [Test]
    public void DataCall_WithoutValidSession_Is401InvalidSessionId()
    {
        _org.Faults.ExpireSessions();

        var response = Get("/services/data/v62.0/query", "SELECT Id FROM Order");

        Assert.That((response.StatusCode, JsonNode.Parse(response.Body)![0]!["errorCode"]!.GetValue<string>()), Is.EqualTo((401, "INVALID_SESSION_ID")));
    }

    [Test]
    public void DataCall_FaultInjected_Is503ThenRecovers()
    {
        _org.Faults.FailNextCalls(1);

        var first = Get("/services/data/v62.0/query", "SELECT Id FROM Order");
        var second = Get("/services/data/v62.0/query", "SELECT Id FROM Order");

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((503, 200)));
    }

    [Test]
    public void Token_JwtWithWrongUser_IsInvalidGrantWithTheDocumentedDescription()
    {
        var response = (Post("/services/oauth2/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=not-a-jwt"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(400));
            Assert.That(JsonNode.Parse(response.Body)!["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
        }
    }

    [Test]
    public void UploadFile_Multipart_StoresTheContentVersionLinkedToTheRecord()
    {
        // Arrange
        var account = _org.Data.All("Account")[0]["Id"]!.GetValue<string>();
        var body = Encoding.UTF8.GetBytes(
            "--b1\r\nContent-Disposition: form-data; name=\"entity_content\"\r\nContent-Type: application/json\r\n\r\n" +
            $$"""{"PathOnClient":"x.pdf","Title":"x","FirstPublishLocationId":"{{account}}"}""" +
            "\r\n--b1\r\nContent-Disposition: form-data; name=\"VersionData\"; filename=\"x.pdf\"\r\n\r\n%PDF-bytes\r\n--b1--\r\n");

        // Act
        var response = Send(HttpMethod.Post, "/services/data/v62.0/sobjects/ContentVersion", new ByteArrayContent(body)
        {
            Headers = { { "Content-Type", "multipart/form-data; boundary=b1" } },
        });

        // Assert
        var id = JsonNode.Parse(response.Body)!["id"]!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(201));
            Assert.That(Encoding.UTF8.GetString(_org.FileContent(id)!), Is.EqualTo("%PDF-bytes"));
            Assert.That(_org.Data.Find("ContentVersion", id)!["FirstPublishLocationId"]!.GetValue<string>(), Is.EqualTo(account));
        }
    }

    [Test]
    public void UploadFile_LargeFile_StoredWholeWhileTheRequestLogKeepsOnlyItsStart()
    {
        // Arrange: a 200 KB file, as large as an invoice PDF with its fonts.
        var account = _org.Data.All("Account")[0]["Id"]!.GetValue<string>();
        var pdf = new byte[200_000];
        Array.Fill(pdf, (byte)'x');
        var body = Encoding.UTF8.GetBytes(
            "--b1\r\nContent-Disposition: form-data; name=\"entity_content\"\r\nContent-Type: application/json\r\n\r\n" +
            $$"""{"PathOnClient":"big.pdf","Title":"big","FirstPublishLocationId":"{{account}}"}""" +
            "\r\n--b1\r\nContent-Disposition: form-data; name=\"VersionData\"; filename=\"big.pdf\"\r\n\r\n")
            .Concat(pdf).Concat(Encoding.UTF8.GetBytes("\r\n--b1--\r\n")).ToArray();

        // Act
        var response = Send(HttpMethod.Post, "/services/data/v62.0/sobjects/ContentVersion", new ByteArrayContent(body)
        {
            Headers = { { "Content-Type", "multipart/form-data; boundary=b1" } },
        });

        // Assert
        var id = JsonNode.Parse(response.Body)!["id"]!.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_org.FileContent(id), Has.Length.EqualTo(200_000));
            Assert.That(_server.RequestsWithBodies[^1].Body, Has.Length.EqualTo(SandboxServer.LoggedBodyChars));
        }
    }

    [Test]
    public void Query_RelativeDateLiterals_ResolveAgainstTheOrgsToday()
    {
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        _org.Data.Insert("Contract", new JsonObject { ["Status"] = "Draft", ["StartDate"] = Day(-40), ["EndDate"] = Day(0) });
        _org.Data.Insert("Contract", new JsonObject { ["Status"] = "Draft", ["StartDate"] = Day(-10), ["EndDate"] = Day(1) });
        _org.Data.Insert("Contract", new JsonObject { ["Status"] = "Draft", ["StartDate"] = Day(-1), ["EndDate"] = Day(30) });

        int Count(string where) => Json(Get("/services/data/v62.0/query", "SELECT Id FROM Contract WHERE " + where))["totalSize"]!.GetValue<int>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Count("EndDate = TODAY"), Is.EqualTo(1));
            Assert.That(Count("EndDate > TODAY"), Is.EqualTo(2));
            Assert.That(Count("StartDate = LAST_N_DAYS:30"), Is.EqualTo(2));
            Assert.That(Count("StartDate < LAST_N_DAYS:30"), Is.EqualTo(1));
            Assert.That(Count("StartDate = YESTERDAY OR EndDate = TOMORROW"), Is.EqualTo(2));
            Assert.That(Count("EndDate = NEXT_N_DAYS:7 AND StartDate = N_DAYS_AGO:10"), Is.EqualTo(1));
            Assert.That(Count("CreatedDate = TODAY"), Is.EqualTo(3), "datetimes compare by their UTC day");
        }

        var malformed = Get("/services/data/v62.0/query", "SELECT Id FROM Contract WHERE StartDate = LAST_N_DAYS");
        Assert.That(malformed.Body, Does.Contain("MALFORMED_QUERY"));
    }

    [Test]
    public void Query_Like_PercentAndUnderscoreAreWildcardsUnlessEscaped()
    {
        _org.Data.Insert("Account", new JsonObject { ["Name"] = "INV_2026%:x" });
        _org.Data.Insert("Account", new JsonObject { ["Name"] = "INVA2026Z:y" });

        int Count(string where) => Json(Get("/services/data/v62.0/query", "SELECT Id FROM Account WHERE " + where))["totalSize"]!.GetValue<int>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Count("Name LIKE 'INV_2026_:%'"), Is.EqualTo(2));
            Assert.That(Count(@"Name LIKE 'INV\_2026\%:%'"), Is.EqualTo(1));
            Assert.That(Count("Name LIKE 'acme%'"), Is.EqualTo(1), "case-insensitive");
        }
    }

    [Test]
    public void QueryAll_RecordInTheRecycleBin_SeenWithIsDeletedWhileQueryDoesNotSeeIt()
    {
        var globex = _org.Data.All("Account").Single(a => a["Name"]!.GetValue<string>() == "Globex GmbH")["Id"]!.GetValue<string>();
        _org.Data.Delete("Account", globex);

        var live = Json(Get("/services/data/v62.0/query", "SELECT Id, Name FROM Account ORDER BY Name"));
        var all = Json(Get("/services/data/v62.0/queryAll", "SELECT Id, Name, IsDeleted FROM Account WHERE IsDeleted = true"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(live), Is.EqualTo(new[] { "Acme Iberia SL", "Initech Ltd" }));
            Assert.That(Names(all), Is.EqualTo(new[] { "Globex GmbH" }));
            Assert.That(all["records"]![0]!["IsDeleted"]!.GetValue<bool>(), Is.True);
        }
    }

    [Test]
    public void GetDeleted_HardDeleteWithinFifteenDays_ListedAndOlderStartRefused()
    {
        var initech = _org.Data.All("Account").Single(a => a["Name"]!.GetValue<string>() == "Initech Ltd")["Id"]!.GetValue<string>();
        _org.Data.Purge("Account", initech);
        var now = TimeProvider.System.GetUtcNow();
        string Window(DateTimeOffset start) => $"start={start:yyyy-MM-ddTHH:mm:ssZ}&end={now.AddMinutes(1):yyyy-MM-ddTHH:mm:ssZ}";

        var deleted = Json(GetWithQuery("/services/data/v62.0/sobjects/Account/deleted/", Window(now.AddDays(-1))));
        var tooOld = GetWithQuery("/services/data/v62.0/sobjects/Account/deleted/", Window(now.AddDays(-16)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deleted["deletedRecords"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()), Is.EqualTo(new[] { initech }));
            Assert.That(_org.Data.Find("Account", initech), Is.Null);
            Assert.That(tooOld.StatusCode, Is.EqualTo(400));
            Assert.That(tooOld.Body, Does.Contain("INVALID_REPLICATION_DATE"));
        }
    }

    private Answer GetWithQuery(string path, string query) => Send(HttpMethod.Get, path + "?" + query);

    private static IEnumerable<string> Names(JsonObject page) => page["records"]!.AsArray().Select(r => r!["Name"]!.GetValue<string>());

    private static JsonObject Json(Answer response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(200), response.Body);
        return JsonNode.Parse(response.Body)!.AsObject();
    }

    private Answer Get(string path, string? soql = null) =>
        Send(HttpMethod.Get, soql is null ? path : path + "?q=" + Uri.EscapeDataString(soql));

    private Answer Patch(string path, string body) =>
        Send(HttpMethod.Patch, path, new StringContent(body, Encoding.UTF8, "application/json"));

    private Answer Post(string path, string form) =>
        Send(HttpMethod.Post, path, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"), authorized: false);

    /// <summary>One call over HTTP to the org's server, as the connector makes it.</summary>
    private Answer Send(HttpMethod method, string path, HttpContent? content = null, bool authorized = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (authorized)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        }

        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer((int)response.StatusCode, reader.ReadToEnd(), headers);
    }

    private sealed record Answer(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers);
}
