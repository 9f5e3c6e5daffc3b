using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Connector.Sandbox.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    private SandboxResponse Token(IReadOnlyDictionary<string, string> form)
    {
        var grant = form.GetValueOrDefault("grant_type");
        string? problem = grant switch
        {
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => VerifyAssertion(form.GetValueOrDefault("assertion")),
            "client_credentials" => form.GetValueOrDefault("client_id") == Credentials.ClientId && form.GetValueOrDefault("client_secret") == Credentials.ClientSecret
                ? null
                : "invalid client credentials",
            _ => "unsupported grant type",
        };
        if (problem is not null)
        {
            return SandboxResponse.Json(400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = problem });
        }

        var token = "00DSANDBOX!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _sessions.Add(token);
        _issued.Add(token);
        return SandboxResponse.Json(200, new JsonObject
        {
            ["access_token"] = token,
            ["scope"] = "api",
            ["instance_url"] = InstanceUrl.ToString().TrimEnd('/'),
            ["id"] = new Uri(InstanceUrl, $"/id/{OrgId}/005SB0000000001AAA").ToString(),
            ["token_type"] = "Bearer",
        });
    }

    private string? VerifyAssertion(string? assertion)
    {
        if (string.IsNullOrEmpty(assertion))
        {
            return "invalid assertion";
        }

        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(Credentials.Key.ExportParameters(false)),
            ValidateIssuerSigningKey = true,
            ValidIssuer = Credentials.ClientId,
            ValidAudience = Audience ?? InstanceUrl.ToString().TrimEnd('/'),
            ValidateLifetime = false, // checked below against the org's own clock
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        }).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidAudienceException => "Audience is invalid",
                SecurityTokenInvalidIssuerException => "invalid client identifier",
                _ => "invalid assertion",
            };
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (!token.TryGetPayloadValue<string>("sub", out var subject) || subject != Credentials.Username)
        {
            return "user hasn't approved this consumer";
        }

        if (!token.TryGetPayloadValue<long>("exp", out var exp) || DateTimeOffset.FromUnixTimeSeconds(exp) < _timeProvider.GetUtcNow())
        {
            return "expired authorization code";
        }

        return null;
    }
}
