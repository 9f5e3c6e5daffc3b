using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Salesforce.Api;
using Connector.Salesforce.Auth;
using Connector.Salesforce.Http;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce;

/// <summary>
/// Our typed layer over the org's REST API: SOQL with queryMore, sObject Collections upsert and update (200 records a
/// call, results in input order), and ContentVersion upload. Every call carries the cached token; a 401
/// INVALID_SESSION_ID drops it, fetches a new one and replays the call once. Transient failures are retried by the
/// resilience pipeline registered in <see cref="SalesforceServiceCollectionExtensions.AddSalesforce"/>.
/// </summary>
internal sealed partial class SalesforceClient(HttpClient http, TokenCache tokens, IOptions<SalesforceOptions> options, TimeProvider timeProvider, DescribeCache describeCache, Limits.ApiUsage usage, Limits.ApiBudget budget)
{
    /// <summary>Most records one sObject Collections call takes.</summary>
    public const int CollectionLimit = 200;

    private string DataPath => $"/services/data/v{options.Value.ApiVersion}";

    /// <summary>Reads a response's values; a value of the wrong JSON type or format is the org's malformed answer, not a crash.</summary>
    private static T Read<T>(string what, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw Malformed($"{what} with a value of the wrong type or format ({ex.Message})");
        }
    }

    private Task<JsonNode?> SendForJsonAsync(HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, idempotent, cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null)
    {
        var (status, text, _) = await SendTextAsync(method, path, content, idempotent, "application/json", cancellationToken, ifModifiedSince);
        if (status == HttpStatusCode.NotModified)
        {
            return null;
        }

        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Malformed($"a body that is not JSON (HTTP {(int)status})");
        }
    }

    /// <summary>One call: the cached token (renewed and replayed once on 401), errors turned into <see cref="SalesforceApiException"/>.</summary>
    private async Task<(HttpStatusCode Status, string Text, System.Net.Http.Headers.HttpResponseHeaders Headers)> SendTextAsync(
        HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, string accept, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(token.InstanceUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            request.Options.Set(RequestOptionKeys.Idempotent, idempotent);
            request.Content = content?.Invoke();
            if (ifModifiedSince is { } since)
            {
                request.Headers.IfModifiedSince = since;
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                tokens.Invalidate(token); // INVALID_SESSION_ID: the session expired or was revoked; fetch a new token, replay once
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotModified && ifModifiedSince is not null)
            {
                return (response.StatusCode, "", response.Headers);
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = ErrorFrom(response.StatusCode, text);
                if (error.ErrorCode == "REQUEST_LIMIT_EXCEEDED" && error.Message.Contains("TotalRequests", StringComparison.OrdinalIgnoreCase))
                {
                    budget.Trip(); // the daily allocation is spent: stop asking until the cool-down ends
                }

                throw error;
            }

            return (response.StatusCode, text, response.Headers);
        }
    }

    private static SalesforceApiException ErrorFrom(HttpStatusCode status, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonArray { Count: > 0 } errors && errors[0] is JsonObject first)
            {
                return new SalesforceApiException(status, first["errorCode"]?.GetValue<string>() ?? "UNKNOWN", first["message"]?.GetValue<string>() ?? "");
            }
        }
        catch (JsonException)
        {
            // Not JSON: an HTML error page from a proxy, say. Reported below without the body.
        }

        return new SalesforceApiException(status, status == HttpStatusCode.ServiceUnavailable ? "SERVER_UNAVAILABLE" : "HTTP_" + (int)status,
            $"the org answered HTTP {(int)status} without the documented error body");
    }

    private static SalesforceApiException Malformed(string what) =>
        new(HttpStatusCode.OK, "MALFORMED_RESPONSE", $"The org sent {what}.");
}
