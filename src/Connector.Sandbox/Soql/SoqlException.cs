namespace Connector.Sandbox.Soql;

/// <summary>A query the org rejects: <see cref="ErrorCode"/> is Salesforce's (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE).</summary>
internal sealed class SoqlException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}
