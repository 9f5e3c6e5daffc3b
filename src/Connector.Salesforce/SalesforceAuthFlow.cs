namespace Connector.Salesforce;

/// <summary>The OAuth 2.0 flows the connector uses to get an access token.</summary>
internal enum SalesforceAuthFlow
{
    JwtBearer,
    ClientCredentials,
}
