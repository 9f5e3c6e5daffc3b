namespace Connector.Salesforce;

/// <summary>The OAuth 2.0 flows the connector uses to get an access token.</summary>
public enum SalesforceAuthFlow
{
    JwtBearer,
    ClientCredentials,
}
