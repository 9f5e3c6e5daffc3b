using Connector.Mapping.Profile;
using Connector.Mapping.Transform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Mapping;

internal static class MappingServiceCollectionExtensions
{
    /// <summary>The admin's mapping profile (Connector:Mapping:Path, or the shipped CPQ default), loaded once and validated.</summary>
    public static IServiceCollection AddMapping(this IServiceCollection services)
    {
        services.AddOptions<MappingOptions>().BindConfiguration(MappingOptions.SectionName);
        services.AddSingleton(static sp => MappingProfileLoader.Load(sp.GetRequiredService<IOptions<MappingOptions>>().Value.Path));
        services.AddSingleton<RecordMapper>();
        return services;
    }
}
