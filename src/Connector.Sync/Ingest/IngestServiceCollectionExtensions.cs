using Connector.Sync.Cycles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Ingest;

internal static class IngestServiceCollectionExtensions
{
    /// <summary>Reading the org's sources into the store: the step and its store of raw versions and watermarks.</summary>
    public static IServiceCollection AddIngest(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<IngestOptions>>(new AnnotatedOptionsValidator<IngestOptions>(IngestOptions.SectionName));
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IngestStore>();
        services.AddSingleton<ChangeEvents.ChannelStore>(); // a stream's position commits with its records
        services.AddSingleton<IngestStep>();
        return services;
    }
}
