using Microsoft.Extensions.Options;

namespace Connector.Salesforce.Auth;

/// <summary>OAuth 2.0 client credentials flow against the My Domain token endpoint; runs as the app's configured user.</summary>
internal sealed class ClientCredentialsTokenSource(IHttpClientFactory httpClientFactory, IOptions<SalesforceOptions> options) : ITokenSource
{
    public Task<SalesforceToken> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        return TokenEndpoint.PostAsync(httpClientFactory.CreateClient(TokenEndpoint.HttpClientName), o,
        [
            new("grant_type", "client_credentials"),
            new("client_id", o.ClientId),
            new("client_secret", o.ClientSecret),
        ], cancellationToken);
    }
}
