using System.Net;
using System.Text.Json.Nodes;
using Connector.Salesforce.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Salesforce.Tests.Auth;

[TestFixture]
public sealed class JwtBearerTests
{
    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_FirstCall_ExchangesAnRs256AssertionWithTheDocumentedClaims(CancellationToken cancellationToken)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 0, done = true, records = Array.Empty<object>() }));

        var before = TimeProvider.System.GetUtcNow();

        // Act
        await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken);

        // Assert
        var tokenRequest = org.Server.LogEntries.Single(e => e.RequestMessage.Path == "/services/oauth2/token").RequestMessage;
        var form = tokenRequest.Body!.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(form["assertion"], new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(org.Key.ExportParameters(false)),
            ValidIssuer = "3MVG9.test",
            ValidAudience = org.Server.Url,
            ValidateLifetime = false,
        });
        var jwt = (JsonWebToken)validation.SecurityToken;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(form["grant_type"], Is.EqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer"));
            Assert.That(validation.IsValid, Is.True, validation.Exception?.Message);
            Assert.That(jwt.Alg, Is.EqualTo("RS256"));
            Assert.That(jwt.Subject, Is.EqualTo("integration@example.com"));
            Assert.That(jwt.GetPayloadValue<long>("exp"), Is.InRange(before.AddMinutes(3).ToUnixTimeSeconds(), TimeProvider.System.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds()),
                "exp is Unix seconds, 3 minutes ahead");
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_SessionExpiresMidRun_FetchesANewTokenAndReplaysOnce(CancellationToken cancellationToken)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("session").WillSetStateTo("expired")
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""));
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .InScenario("session").WhenStateIs("expired")
            .RespondWith(Response.Create().WithBodyAsJson(new { totalSize = 1, done = true, records = new[] { new { Id = "801A" } } }));

        // Act
        var records = await org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Single()["Id"]!.GetValue<string>(), Is.EqualTo("801A"));
            Assert.That(org.Calls("/services/oauth2/token"), Is.EqualTo(2));
            Assert.That(org.Calls(FakeOrg.Data + "/query"), Is.EqualTo(2));
        }
    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_StillUnauthorizedAfterRenewal_FailsInsteadOfLooping(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.Given(Request.Create().WithPath(FakeOrg.Data + "/query").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(ex.ErrorCode, Is.EqualTo("INVALID_SESSION_ID"));
            Assert.That(org.Calls("/services/oauth2/token"), Is.EqualTo(2));
        }
    }

    [TestCase("user hasn't approved this consumer", "Pre-authorize the integration user")]
    [TestCase("Audience is invalid", "audience is wrong")]
    [TestCase("expired authorization code", "clock")]
    [TestCase("invalid assertion", "certificate uploaded to the app must match")]
    public async Task QueryAsync_InvalidGrant_TellsTheAdminWhatToFix(string description, string advice)
    {
        // Arrange
        using var org = new FakeOrg();
        org.Server.ResetMappings();
        org.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(new JsonObject { ["error"] = "invalid_grant", ["error_description"] = description }.ToJsonString()));

        // Act
        var ex = await Assert.ThrowsAsync<SalesforceAuthException>(() => org.Client.QueryAsync("SELECT Id FROM Order", CancellationToken.None));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Message, Does.Contain(description).And.Contain(advice));
            Assert.That(ex.Message, Does.Not.Contain("BEGIN PRIVATE KEY"));
        }

    }

    [Test, CancelAfter(20_000)]
    public async Task QueryAsync_TokenNamesAnInsecureInstance_RefusesToSendTheTokenThere(CancellationToken cancellationToken)
    {
        using var org = new FakeOrg();
        org.Server.ResetMappings();
        org.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "00Dtoken", instance_url = "http://eu1.example.com" }));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.QueryAsync("SELECT Id FROM Order", cancellationToken));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo("INSECURE_INSTANCE_URL"));
            Assert.That(ex.Message, Does.Not.Contain("00Dtoken"));
        }
    }

    [Test]
    public void LoadKey_FileIsNotAKey_NamesTheSettingButNotTheContent()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXN0dWZm\n-----END PRIVATE KEY-----\n");
        try
        {
            var ex = Assert.Throws<InvalidOperationException>(() => JwtBearerTokenSource.LoadKey(path));

            Assert.That(ex!.Message, Does.Contain("Connector:Salesforce:PrivateKeyPath").And.Not.Contain("c2VjcmV0LXN0dWZm"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
