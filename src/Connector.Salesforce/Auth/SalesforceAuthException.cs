namespace Connector.Salesforce.Auth;

/// <summary>The token endpoint refused us. <see cref="Exception.Message"/> tells the admin what to fix; it holds no secret.</summary>
internal sealed class SalesforceAuthException(string error, string description, string advice)
    : Exception($"Salesforce refused the token request ({error}: {description}). {advice}")
{
    public string Error { get; } = error;

    public string Description { get; } = description;

    /// <summary>Turns the documented <c>invalid_grant</c> descriptions into what an admin must change.</summary>
    public static SalesforceAuthException From(string error, string description)
    {
        var text = description.ToUpperInvariant();
        var advice = text switch
        {
            _ when text.Contains("HASN'T APPROVED", StringComparison.Ordinal) || text.Contains("NOT APPROVED", StringComparison.Ordinal) =>
                "Pre-authorize the integration user: in the app's policies set 'Admin approved users are pre-authorized' and add the user's profile or a permission set.",
            _ when text.Contains("AUDIENCE", StringComparison.Ordinal) =>
                "The JWT audience is wrong: use https://login.salesforce.com for production, https://test.salesforce.com for sandboxes (Connector:Salesforce:Audience).",
            _ when text.Contains("EXPIRED", StringComparison.Ordinal) =>
                "The assertion had expired on arrival: check this machine's clock (NTP); the connector signs tokens valid for 3 minutes.",
            _ when text.Contains("INVALID ASSERTION", StringComparison.Ordinal) || text.Contains("SIGNATURE", StringComparison.Ordinal) =>
                "The JWT signature did not verify: the certificate uploaded to the app must match Connector:Salesforce:PrivateKeyPath.",
            _ when text.Contains("NOT SUPPORTED ON THIS DOMAIN", StringComparison.Ordinal) =>
                "The client credentials flow must use your My Domain URL as Connector:Salesforce:LoginUrl.",
            _ when text.Contains("USER", StringComparison.Ordinal) =>
                "Check Connector:Salesforce:Username: it must be the integration user's exact username in this org.",
            _ when error == "invalid_client_id" || text.Contains("CLIENT IDENTIFIER", StringComparison.Ordinal) =>
                "Check Connector:Salesforce:ClientId: it must be the app's consumer key in this org.",
            _ => "Check the connected app, the integration user and Connector:Salesforce settings.",
        };
        return new SalesforceAuthException(error, description, advice);
    }
}
