using System.Text.Json.Nodes;
using Connector.Salesforce.Api;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Salesforce.Tests.Api;

[TestFixture]
public sealed class CompositeUploadTests
{
    [Test, CancelAfter(20_000)]
    public async Task UploadFilesAsync_ThirtyFiles_TwoCompositeCallsResultsInOrderOversizedFileAlone(CancellationToken cancellationToken)
    {
        // Arrange: the fake answers each subrequest, failing file 7; one file is too large for a Composite call.
        using var org = new FakeOrg(s => s["Connector:Salesforce:MaxCompositeBytes"] = "1000");
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/composite").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var subrequests = JsonNode.Parse(request.Body!)!["compositeRequest"]!.AsArray();
                var answers = new JsonArray([.. subrequests.Select(sub => Answer(sub!["body"]!["Key__c"]!.GetValue<string>()))]);
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    BodyData = new WireMock.Util.BodyData
                    {
                        DetectedBodyType = WireMock.Types.BodyType.String,
                        BodyAsString = new JsonObject { ["compositeResponse"] = answers }.ToJsonString(),
                    },
                };
            }));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/sobjects/ContentVersion").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "068big", success = true, errors = Array.Empty<object>() }));
        var uploads = Enumerable.Range(0, 30)
            .Select(i => new FileUpload($"f{i}.pdf", $"f{i}", i == 3 ? new byte[2_000] : [1, 2, 3], "a00A", "Key__c", $"k{i}"))
            .ToList();

        // Act
        var results = await org.Client.UploadFilesAsync(uploads, cancellationToken);

        // Assert
        var composites = org.Server.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/composite", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e.RequestMessage.Body!)!["compositeRequest"]!.AsArray().Count).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(composites, Is.EqualTo(new[] { 25, 4 }), "29 small files in two calls");
            Assert.That(org.Calls(FakeOrg.Data + "/sobjects/ContentVersion"), Is.EqualTo(1), "the oversized file alone, multipart");
            Assert.That(results[3].Id, Is.EqualTo("068big"));
            Assert.That(results[7].Success, Is.False);
            Assert.That(results[7].Errors.Single().StatusCode, Is.EqualTo("STORAGE_LIMIT_EXCEEDED"));
            Assert.That(
                results.Where((_, i) => i is not 3 and not 7).Select(r => r.Id),
                Is.EqualTo(Enumerable.Range(0, 30).Where(i => i is not 3 and not 7).Select(i => $"068k{i}")));
        }
    }

    private static JsonNode Answer(string key) => key == "k7"
        ? new JsonObject
        {
            ["httpStatusCode"] = 400,
            ["body"] = new JsonArray(new JsonObject { ["errorCode"] = "STORAGE_LIMIT_EXCEEDED", ["message"] = "storage full" }),
        }
        : new JsonObject
        {
            ["httpStatusCode"] = 201,
            ["body"] = new JsonObject { ["id"] = "068" + key, ["success"] = true, ["errors"] = new JsonArray() },
        };
}
