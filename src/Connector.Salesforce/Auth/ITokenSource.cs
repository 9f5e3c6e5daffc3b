namespace Connector.Salesforce.Auth;

/// <summary>Gets a fresh access token from the org's token endpoint.</summary>
internal interface ITokenSource
{
    Task<SalesforceToken> RequestAsync(CancellationToken cancellationToken);
}
