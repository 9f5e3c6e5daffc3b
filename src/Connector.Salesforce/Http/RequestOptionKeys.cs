namespace Connector.Salesforce.Http;

internal static class RequestOptionKeys
{
    /// <summary>False for calls that may commit twice if replayed (a POST that creates); they are retried only on 503.</summary>
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("connector.idempotent");
}
