using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

internal static class ChangeEventServiceCollectionExtensions
{
    /// <summary>Change Data Capture over the Pub/Sub API: the streams, their store and the billing they prompt. Options bind from Connector:ChangeEvents.</summary>
    public static IServiceCollection AddChangeEvents(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<ChangeEventOptions>, ChangeEventOptionsValidator>();
        services.AddOptions<ChangeEventOptions>().BindConfiguration(ChangeEventOptions.SectionName).ValidateOnStart();
        services.AddSingleton<ChangeStreams>();
        services.AddSingleton<ChangeEventApplier>();
        services.AddSingleton<ChangeStream>();
        services.AddSingleton<PromptBilling>();
        return services;
    }
}
