using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Connector.Salesforce.Api;
using Connector.Salesforce.Auth;
using Connector.Salesforce.Http;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce;

/// <summary>
/// Our typed layer over the org's REST API: SOQL with queryMore, sObject Collections upsert and update (200 records a
/// call, results in input order), and ContentVersion upload. Every call is signed by <see cref="BearerTokenHandler"/>
/// (a 401 renews the token and replays the call once). Transient failures are retried by the
/// resilience pipeline registered in <see cref="SalesforceServiceCollectionExtensions.AddSalesforce"/>.
/// </summary>
internal sealed partial class SalesforceClient(HttpClient http, IOptions<SalesforceOptions> options, TimeProvider timeProvider, DescribeCache describeCache, Limits.ApiUsage usage, Limits.ApiBudget budget)
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

    /// <summary>A call whose answer is read into <typeparamref name="T"/> by the source-generated context; a body that does not fit is the org's malformed answer.</summary>
    private Task<T?> SendForAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken) =>
        SendForAsync(method, path, type, what, ifModifiedSince: null, cancellationToken);

    /// <summary>As the overload above, conditional on <paramref name="ifModifiedSince"/> (a 304 reads as default).</summary>
    private async Task<T?> SendForAsync<T>(HttpMethod method, string path, JsonTypeInfo<T> type, string what, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        var (status, text, _) = await SendTextAsync(method, path, null, idempotent: true, "application/json", ifModifiedSince, cancellationToken);
        if (status == HttpStatusCode.NotModified)
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw Malformed($"an empty {what}");
        }
        catch (JsonException ex)
        {
            throw Malformed($"{what} that does not parse ({ex.Message})");
        }
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken)
    {
        var (status, text, _) = await SendTextAsync(method, path, content, idempotent, "application/json", ifModifiedSince: null, cancellationToken);
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

    /// <summary>One call (signed by <see cref="BearerTokenHandler"/>), errors turned into <see cref="SalesforceApiException"/>.</summary>
    private async Task<(HttpStatusCode Status, string Text, System.Net.Http.Headers.HttpResponseHeaders Headers)> SendTextAsync(
        HttpMethod method, string path, Func<HttpContent>? content, bool idempotent, string accept, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BearerTokenHandler.Placeholder, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        request.Options.Set(RequestOptionKeys.Idempotent, idempotent);
        request.Content = content?.Invoke();
        if (ifModifiedSince is { } since)
        {
            request.Headers.IfModifiedSince = since;
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
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

    /// <summary>A JSON value read into <typeparamref name="T"/>; a value that does not fit is the org's malformed answer, not a crash.</summary>
    private static T? As<T>(JsonNode? node, JsonTypeInfo<T> type, string what)
    {
        try
        {
            return node.Deserialize(type);
        }
        catch (JsonException ex)
        {
            throw Malformed($"{what} that does not parse ({ex.Message})");
        }
    }

    private static SalesforceApiException Malformed(string what) =>
        new(HttpStatusCode.OK, "MALFORMED_RESPONSE", $"The org sent {what}.");
}
