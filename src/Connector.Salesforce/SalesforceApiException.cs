using System.Net;

namespace Connector.Salesforce;

/// <summary>The org answered a call with an error (or with something that is not the documented shape).</summary>
internal sealed class SalesforceApiException(HttpStatusCode statusCode, string errorCode, string message)
    : Exception($"Salesforce API error {(int)statusCode} {errorCode}: {message}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>Salesforce's error code, e.g. <c>INVALID_FIELD</c>, <c>REQUEST_LIMIT_EXCEEDED</c>, or <c>MALFORMED_RESPONSE</c>.</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>True when a later attempt may succeed (server busy, row locked, concurrency limit).</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
        || ErrorCode is "SERVER_UNAVAILABLE" or "UNABLE_TO_LOCK_ROW" or "REQUEST_LIMIT_EXCEEDED";
}
