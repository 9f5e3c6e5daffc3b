using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The one retry policy for a book that met a concurrent writer (<see cref="BookConflictException"/>): load again and
/// redo the work on what the other writer saved, up to <see cref="MaxRetries"/> times, at once: the reload itself is the
/// wait (it sees what the other writer committed), and no clock is involved, so a retry never waits on a test's fake
/// time. Registered as the keyed pipeline <see cref="Key"/>.
/// </summary>
internal static class BookConflicts
{
    /// <summary>The pipeline's key in the resilience registry.</summary>
    public const string Key = "book-conflicts";

    /// <summary>Retries after the first attempt: a conflict means another writer posted, and each retry loads what it posted.</summary>
    public const int MaxRetries = 9;

    /// <summary>Registers the pipeline under <see cref="Key"/>.</summary>
    public static IServiceCollection AddBookConflictRetries(this IServiceCollection services) =>
        services.AddResiliencePipeline(Key, static builder => Configure(builder));

    /// <summary>The registered pipeline, or the same one built on <paramref name="timeProvider"/> for a store made by hand.</summary>
    internal static ResiliencePipeline Resolve(ResiliencePipelineProvider<string>? pipelines, TimeProvider timeProvider) =>
        pipelines?.GetPipeline(Key) ?? Configure(new ResiliencePipelineBuilder { TimeProvider = timeProvider }).Build();

    private static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<BookConflictException>(),
            MaxRetryAttempts = MaxRetries,
            Delay = TimeSpan.Zero,
            BackoffType = DelayBackoffType.Constant,
        });
}
