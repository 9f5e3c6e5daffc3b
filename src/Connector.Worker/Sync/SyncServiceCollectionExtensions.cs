using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The cycle and its steps. Options bind from Connector:Sync.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IngestStep>();
        services.AddSingleton<WriteBackStep>();
        services.AddSingleton<SyncCycle>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ConnectorMetrics>();
        services.AddSingleton<Operations.QuarantineService>();
        return services;
    }
}
