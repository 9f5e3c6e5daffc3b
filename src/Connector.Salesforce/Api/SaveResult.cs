namespace Connector.Salesforce.Api;

/// <summary>
/// The org's answer for one record of a collections call, in input order. <see cref="Created"/> is set for upserts
/// (true: inserted, false: updated).
/// </summary>
internal sealed record SaveResult(string? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors)
{
    /// <summary>True when retrying this record later may succeed (row lock, server busy).</summary>
    public bool IsRetryable => Errors.Any(e => e.StatusCode is "UNABLE_TO_LOCK_ROW" or "SERVER_UNAVAILABLE" or "REQUEST_LIMIT_EXCEEDED" or "BULK_UNPROCESSED");

    public override string ToString() => Success
        ? $"ok {Id}"
        : string.Join("; ", Errors.Select(e => e.ToString()));
}
