namespace Connector.Salesforce.Auth;

/// <summary>
/// An access token, the instance it is valid for and the org's 18-character id (from the token response's identity URL,
/// <c>…/id/&lt;orgId&gt;/&lt;userId&gt;</c>; the Pub/Sub API's <c>tenantid</c>). <see cref="ToString"/> never shows the token.
/// </summary>
internal sealed record SalesforceToken(string AccessToken, Uri InstanceUrl, string? OrgId = null)
{
    public override string ToString() => $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, OrgId = {OrgId} }}";

    /// <summary>The org id in an identity URL (<c>https://login.salesforce.com/id/00D…/005…</c>), or null.</summary>
    public static string? OrgIdOf(string? identityUrl)
    {
        if (!Uri.TryCreate(identityUrl, UriKind.Absolute, out var url))
        {
            return null;
        }

        var parts = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 && parts[^3] == "id" ? parts[^2] : null;
    }
}
