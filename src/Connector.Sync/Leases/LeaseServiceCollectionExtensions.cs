using Microsoft.Extensions.DependencyInjection;

namespace Connector.Sync.Leases;

internal static class LeaseServiceCollectionExtensions
{
    /// <summary>The leader lease that lets one replica of <c>connector run</c> work at a time.</summary>
    public static IServiceCollection AddLeases(this IServiceCollection services)
    {
        services.AddSingleton<LeaseStore>();
        return services;
    }
}
