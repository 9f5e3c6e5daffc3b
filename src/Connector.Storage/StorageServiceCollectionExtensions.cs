using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connector.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>The database (SQLite, PostgreSQL or SQL Server) and its migrator. Options bind from Connector:Storage.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<ConnectorDatabase>();
        services.TryAddSingleton<Migrator>();
        return services;
    }
}
