using System.Net;
using Connector.Salesforce.Auth;
using Connector.Salesforce.Http;
using Connector.Salesforce.Limits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Connector.Salesforce;

internal static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// The Salesforce client with its token cache, API usage counter and resilience pipeline (outer to inner: total
    /// timeout, retry with jittered exponential backoff on 503, on <c>REQUEST_LIMIT_EXCEEDED: ConcurrentRequests</c> and,
    /// for idempotent calls, on network errors and timeouts; a circuit breaker that fails fast while the org keeps
    /// failing; then the per-attempt timeout). Options bind from Connector:Salesforce and are validated at start.
    /// </summary>
    public static IServiceCollection AddSalesforce(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SalesforceOptions>().BindConfiguration(SalesforceOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>();

        services.AddSingleton<ApiUsage>();
        services.AddSingleton<ApiBudget>();
        services.AddSingleton<Api.DescribeCache>();
        services.AddTransient<LimitInfoHandler>();
        services.AddTransient<BearerTokenHandler>();
        services.AddSingleton<ITokenSource>(static sp => sp.GetRequiredService<IOptions<SalesforceOptions>>().Value.AuthFlow == SalesforceAuthFlow.ClientCredentials
            ? ActivatorUtilities.CreateInstance<ClientCredentialsTokenSource>(sp)
            : ActivatorUtilities.CreateInstance<JwtBearerTokenSource>(sp));
        services.AddSingleton(static sp => new TokenCache(sp.GetRequiredService<ITokenSource>()));
        services.AddSingleton<PubSub.PubSubClient>();

        services.AddHttpClient(TokenEndpoint.HttpClientName, static http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("salesforce-auth", static (pipeline, context) => Configure(pipeline, context.ServiceProvider));
        var client = services.AddHttpClient<SalesforceClient>(static http => http.Timeout = Timeout.InfiniteTimeSpan);
        client.AddHttpMessageHandler<BearerTokenHandler>(); // outermost: signs each call, renews and replays once on 401
        client.AddResilienceHandler("salesforce", static (pipeline, context) => Configure(pipeline, context.ServiceProvider));
        client.AddHttpMessageHandler<LimitInfoHandler>(); // inside the retry: every attempt is counted, as the org counts it
        return services;
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        pipeline
            .AddTimeout(options.TotalRequestTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ShouldRetryAsync(args.Outcome, args.Context),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(IsOrgFailure(args.Outcome)),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>
    /// 502/503/504 mean the org did not process the call, so any call is retried. A network error or timeout may hide
    /// a committed write: only idempotent calls (queries, upserts by external id, token requests) are retried then.
    /// </summary>
    internal static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.Forbidden } refused)
        {
            // Too many long-running calls at once: the org refused this one unprocessed; it is retried after a backoff.
            // (REQUEST_LIMIT_EXCEEDED: TotalRequests is not retried: the daily allocation is spent.)
            var body = await refused.Content.ReadAsStringAsync(context.CancellationToken);
            return body.Contains("REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal) && body.Contains("ConcurrentRequests", StringComparison.OrdinalIgnoreCase);
        }

        if (outcome.Result is { } response)
        {
            return response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
        }

        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            var request = context.GetRequestMessage();
            return request is null || !request.Options.TryGetValue(RequestOptionKeys.Idempotent, out var idempotent) || idempotent;
        }

        return false;
    }

    /// <summary>What counts against the circuit: the org unavailable or unreachable (not a refused or invalid request).</summary>
    internal static bool IsOrgFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout }
        || outcome.Exception is HttpRequestException or TimeoutRejectedException;
}
