using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Connector.Salesforce.Auth;

/// <summary>
/// OAuth 2.0 JWT bearer flow: a fresh RS256 assertion (iss = consumer key, sub = username, aud = login host,
/// exp = now + 3 min in Unix seconds) exchanged for an access token. No refresh token exists in this flow.
/// </summary>
internal sealed class JwtBearerTokenSource(IHttpClientFactory httpClientFactory, IOptions<SalesforceOptions> options, TimeProvider timeProvider) : ITokenSource
{
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(3);
    private readonly Lazy<SigningCredentials> _credentials = new(() => LoadKey(options.Value.PrivateKeyPath));

    public Task<SalesforceToken> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var assertion = CreateAssertion(o, _credentials.Value, timeProvider.GetUtcNow());
        return TokenEndpoint.PostAsync(httpClientFactory.CreateClient(TokenEndpoint.HttpClientName), o,
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            new("assertion", assertion),
        ], cancellationToken);
    }

    internal static string CreateAssertion(SalesforceOptions o, SigningCredentials credentials, DateTimeOffset now)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.ClientId,
            Audience = string.IsNullOrWhiteSpace(o.Audience) ? o.LoginUrl.TrimEnd('/') : o.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = o.Username },
            Expires = (now + AssertionLifetime).UtcDateTime,
            SigningCredentials = credentials,
        });
    }

    internal static SigningCredentials LoadKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Connector:Salesforce:PrivateKeyPath = '{path}' could not be read: {ex.GetType().Name}.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"Connector:Salesforce:PrivateKeyPath = '{path}' could not be read: access denied.", ex);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The exception from ImportFromPem may quote the input: do not chain it, it could carry key material.
            throw new InvalidOperationException($"Connector:Salesforce:PrivateKeyPath = '{path}' does not hold a PEM RSA private key.");
        }

        return new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
    }
}
