using Connector.Salesforce.Limits;

namespace Connector.Salesforce.Http;

/// <summary>Counts every attempt that reaches the org and reads <c>Sforce-Limit-Info</c> from its response.</summary>
internal sealed class LimitInfoHandler(ApiUsage usage) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var header = response.Headers.TryGetValues("Sforce-Limit-Info", out var values) ? string.Join(",", values) : null;
        usage.Record(LimitInfo.Parse(header));
        return response;
    }
}
