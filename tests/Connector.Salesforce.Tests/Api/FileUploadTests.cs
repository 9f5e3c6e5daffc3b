using System.Text.Json.Nodes;
using Connector.Salesforce.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Salesforce.Tests.Api;

[TestFixture]
public sealed class FileUploadTests
{
    [Test, CancelAfter(20_000)]
    public async Task UploadFilesAsync_FiveHundredFiles_ThreeCollectionsCallsOfBase64ContentVersionsResultsInOrderOversizedFileAlone(CancellationToken cancellationToken)
    {
        // Arrange: the fake answers each record of a collections create in order, failing file 7; file 3 is too large for
        // a call of base64 content.
        using var org = new FakeOrg(s => s["Connector:Salesforce:MaxFileCallBytes"] = "1000");
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/composite/sobjects").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var records = JsonNode.Parse(request.Body!)!["records"]!.AsArray();
                var answers = new JsonArray([.. records.Select(record => Answer(record!))]);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData { DetectedBodyType = WireMock.Types.BodyType.String, BodyAsString = answers.ToJsonString() },
                };
            }));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/sobjects/ContentVersion").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "068big", success = true, errors = Array.Empty<object>() }));
        var uploads = Enumerable.Range(0, 500)
            .Select(i => new FileUpload($"f{i}.pdf", $"f{i}", i == 3 ? new byte[2_000] : [1, 2, 3], "a00A", "Key__c", $"k{i}"))
            .ToList();

        // Act
        var results = await org.Client.UploadFilesAsync(uploads, cancellationToken);

        // Assert
        var calls = org.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/composite/sobjects", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls.Select(c => c["records"]!.AsArray().Count), Is.EqualTo(new[] { 200, 200, 99 }), "499 small files in three calls");
            Assert.That(calls.All(c => c["allOrNone"]!.GetValue<bool>() == false));
            Assert.That(calls[0]["records"]![0]!["attributes"]!["type"]!.GetValue<string>(), Is.EqualTo("ContentVersion"));
            Assert.That(Convert.FromBase64String(calls[0]["records"]![0]!["VersionData"]!.GetValue<string>()), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(org.Calls(FakeOrg.Data + "/sobjects/ContentVersion"), Is.EqualTo(1), "the oversized file alone, multipart");
            Assert.That(results[3].Id, Is.EqualTo("068big"));
            Assert.That(results[7].Success, Is.False);
            Assert.That(results[7].Errors.Single().StatusCode, Is.EqualTo("STORAGE_LIMIT_EXCEEDED"));
            Assert.That(
                results.Where((_, i) => i is not 3 and not 7).Select(r => r.Id),
                Is.EqualTo(Enumerable.Range(0, 500).Where(i => i is not 3 and not 7).Select(i => $"068k{i}")));
        }
    }

    private static JsonNode Answer(JsonNode record)
    {
        var key = record["Key__c"]!.GetValue<string>();
        return key == "k7"
            ? new JsonObject
            {
                ["success"] = false,
                ["errors"] = new JsonArray(new JsonObject { ["statusCode"] = "STORAGE_LIMIT_EXCEEDED", ["message"] = "storage full", ["fields"] = new JsonArray() }),
            }
            : new JsonObject { ["id"] = "068" + key, ["success"] = true, ["errors"] = new JsonArray() };
    }
}
