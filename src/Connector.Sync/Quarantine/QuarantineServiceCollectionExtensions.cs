using Microsoft.Extensions.DependencyInjection;

namespace Connector.Sync.Quarantine;

internal static class QuarantineServiceCollectionExtensions
{
    /// <summary>Records a person must look at: the store and the service behind <c>quarantine list|retry|discard</c>.</summary>
    public static IServiceCollection AddQuarantine(this IServiceCollection services)
    {
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<QuarantineService>();
        return services;
    }
}
