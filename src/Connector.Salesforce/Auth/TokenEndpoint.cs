using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.Salesforce.Auth;

/// <summary>POSTs a form to <c>/services/oauth2/token</c> and reads the token or the documented error shape.</summary>
internal static class TokenEndpoint
{
    public const string HttpClientName = "salesforce-auth";

    public static async Task<SalesforceToken> PostAsync(HttpClient http, SalesforceOptions options, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(new Uri(new Uri(options.LoginUrl.TrimEnd('/') + "/"), "services/oauth2/token"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        TokenResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<TokenResponse>(body);
        }
        catch (JsonException)
        {
            throw new SalesforceApiException(response.StatusCode, "MALFORMED_RESPONSE", $"The token endpoint answered HTTP {(int)response.StatusCode} with a body that is not JSON.");
        }

        if (!response.IsSuccessStatusCode || parsed is null || string.IsNullOrEmpty(parsed.AccessToken))
        {
            throw SalesforceAuthException.From(parsed?.Error ?? $"http_{(int)response.StatusCode}", parsed?.ErrorDescription ?? "no description");
        }

        if (!Uri.TryCreate(parsed.InstanceUrl, UriKind.Absolute, out var instance))
        {
            throw new SalesforceApiException(response.StatusCode, "MALFORMED_RESPONSE", "The token response has no valid instance_url.");
        }

        if (SalesforceOptionsValidator.CheckUrl(instance.ToString(), options.AllowInsecureHttp) is { } problem)
        {
            // The token would be sent to this host: refuse anything but https (or loopback http when allowed).
            throw new SalesforceApiException(response.StatusCode, "INSECURE_INSTANCE_URL", $"The org's instance_url '{instance}' is not allowed: {problem}.");
        }

        return new SalesforceToken(parsed.AccessToken, instance, SalesforceToken.OrgIdOf(parsed.Id));
    }

    private sealed class TokenResponse
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("instance_url")]
        public string? InstanceUrl { get; init; }

        [JsonPropertyName("id")]
        public string? Id { get; init; }

        [JsonPropertyName("error")]
        public string? Error { get; init; }

        [JsonPropertyName("error_description")]
        public string? ErrorDescription { get; init; }
    }
}
