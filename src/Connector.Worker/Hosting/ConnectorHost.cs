using Connector.Invoicing;
using Connector.Invoicing.Storage;
using Connector.Mapping;
using Connector.Mapping.Profile;
using Connector.Salesforce;
using Connector.Worker.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Worker.Hosting;

/// <summary>
/// Builds the connector's host: configuration (appsettings.json, then environment variables with <c>__</c>, then
/// the given overrides), the features, and the start-up checks: settings validated, mapping profile loaded, database
/// migrated. A bad setting or mapping surfaces as <see cref="ConfigurationException"/> before any work starts.
/// </summary>
public static class ConnectorHost
{
    /// <param name="overrides">Settings that win over appsettings.json and the environment.</param>
    /// <param name="configureServices">Extra registrations (tests, commands).</param>
    /// <param name="local">Only the database and the mapping, for commands that never call the org (status, quarantine): Salesforce settings are then not required.</param>
    public static IHost Build(IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null, bool local = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var problems = ConfigurationChecks.Check(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        builder.Services.AddInvoicing();
        builder.Services.AddMapping();
        if (local)
        {
            builder.Services.AddSingleton<Operations.QuarantineService>();
        }
        else
        {
            builder.Services.AddSalesforce();
            builder.Services.AddSync();
        }

        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The configuration a host would see (appsettings.json, environment, overrides), without building one.</summary>
    public static IConfiguration Configuration(IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>Validates options and the mapping, and migrates the database. Throws <see cref="ConfigurationException"/> on bad input.</summary>
    public static async Task PrepareAsync(IHost host, CancellationToken cancellationToken, bool migrate = true)
    {
        try
        {
            await host.StartAsync(cancellationToken); // runs ValidateOnStart
            _ = host.Services.GetRequiredService<MappingProfile>();
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationException([.. ex.Failures.Select(Clean)]);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // ValidateOnStart reports every invalid options type at once.
            throw new ConfigurationException([.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Select(Clean)]);
        }
        catch (MappingProfileException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }

        if (!migrate)
        {
            return;
        }

        var applied = await host.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        if (applied.Count > 0)
        {
            Log.MigrationsApplied(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Connector.Storage"), string.Join(", ", applied));
        }
    }

    private static string Clean(string failure) =>
        failure.StartsWith("DataAnnotation validation failed for ", StringComparison.Ordinal)
            ? failure.Replace("DataAnnotation validation failed for ", "Invalid setting: ", StringComparison.Ordinal)
            : failure;
}
