namespace Connector.Salesforce.Auth;

/// <summary>An access token and the instance it is valid for. <see cref="ToString"/> never shows the token.</summary>
internal sealed record SalesforceToken(string AccessToken, Uri InstanceUrl)
{
    public override string ToString() => $"SalesforceToken {{ InstanceUrl = {InstanceUrl} }}";
}
