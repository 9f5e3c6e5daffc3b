using System.Net;
using System.Net.Http.Headers;

namespace Connector.Salesforce.Auth;

/// <summary>
/// The one place a call to the org is signed: the cached token's instance URL and bearer header go on every request
/// (requests name only their path, under <see cref="Placeholder"/>), and a 401 (INVALID_SESSION_ID: the session
/// expired or was revoked) drops the token, fetches a new one and replays the call once. It sits outside the
/// resilience pipeline, so a replay is one more call, never a retry storm.
/// </summary>
internal sealed class BearerTokenHandler(TokenCache tokens, Microsoft.Extensions.Options.IOptions<SalesforceOptions> options) : DelegatingHandler
{
    /// <summary>The base of every request the client builds; this handler puts the org's instance in its place.</summary>
    public static readonly Uri Placeholder = new("https://instance.salesforce.invalid/");

    /// <summary>The header that names the client of a call (<c>client=&lt;id&gt;</c>).</summary>
    public const string CallOptionsHeader = "Sforce-Call-Options";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await SignAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(token);
        using var replay = Copy(request);
        await SignAsync(replay, cancellationToken);
        return await base.SendAsync(replay, cancellationToken);
    }

    private async Task<SalesforceToken> SignAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        request.RequestUri = new Uri(token.InstanceUrl, request.RequestUri!.PathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        // The org names this client in the changeOrigin of the change events its writes cause (the stream's loop breaker).
        request.Headers.Remove(CallOptionsHeader);
        request.Headers.TryAddWithoutValidation(CallOptionsHeader, "client=" + options.Value.CallOptionsClient);
        return token;
    }

    /// <summary>The same call again: method, path, headers, options and body (the client's bodies are buffered, so they send twice).</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
        foreach (var (name, values) in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (key, value) in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[key] = value;
        }

        return copy;
    }
}
