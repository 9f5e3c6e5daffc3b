using Connector.Storage;
using Connector.Invoicing;
using Connector.Mapping;
using Connector.Mapping.Profile;
using Connector.Salesforce;
using Connector.Sync.Cycles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
internal static class ConnectorHost
{
    /// <param name="overrides">Settings that win over appsettings.json and the environment.</param>
    /// <param name="configureServices">Extra registrations (tests, commands).</param>
    /// <param name="local">Only the database and the mapping, for commands that never call the org (status, quarantine): Salesforce settings are then not required.</param>
    public static IHost Build(IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null, bool local = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        Configure(builder, overrides, configureServices, local);
        return builder.Build();
    }

    /// <summary>The host of <c>connector run</c>: the same services, plus /healthz, /readyz and /metrics on Connector:Health:Port.</summary>
    public static WebApplication BuildService(IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        Configure(builder, overrides, configureServices, local: false);
        builder.Services.AddHealthEndpoints();
        var port = HealthPort(builder.Configuration);
        builder.WebHost.UseUrls($"http://0.0.0.0:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }

    /// <summary>Connector:Health:Port, 1 to 65535 (its form is checked with every other setting first).</summary>
    internal static int HealthPort(IConfiguration configuration)
    {
        var port = configuration.GetSection(HealthOptions.SectionName).Get<HealthOptions>()?.Port ?? 8080;
        return port is >= 1 and <= 65535
            ? port
            : throw new ConfigurationException([$"{HealthOptions.SectionName}:Port = '{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}' is not allowed: use a port from 1 to 65535."]);
    }

    private static void Configure(IHostApplicationBuilder builder, IDictionary<string, string?>? overrides, Action<IServiceCollection>? configureServices, bool local)
    {
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var problems = ConfigurationChecks.Check(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        _ = HealthPort(builder.Configuration); // checked for every verb, not only for run

        // A start that fails is reported by PrepareAsync as one line naming the setting; the host's own "Hosting failed
        // to start" entry would repeat it with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        // stdout carries results only (status --json, reports): every log line, whatever its level, goes to stderr.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        if (UseJsonLogs(builder.Configuration))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true; // a cycle's lines share its CycleId
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }

        builder.Services.AddInvoicing();
        builder.Services.AddSingleton<Simulation.ReceivablesService>();
        builder.Services.AddMapping();
        if (local)
        {
            builder.Services.AddPipelineStages();
        }
        else
        {
            builder.Services.AddSalesforce();
            builder.Services.AddSync();
        }

        configureServices?.Invoke(builder.Services);
    }

    /// <summary>JSON logs in containers (or when Connector:Logging:Format is Json), plain text on a terminal.</summary>
    private static bool UseJsonLogs(IConfiguration configuration) => configuration["Connector:Logging:Format"] switch
    {
        "Json" => true,
        "Text" => false,
        _ => string.Equals(configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase),
    };

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

    /// <summary>The overload below with its optional arguments left out.</summary>
    public static Task PrepareAsync(IHost host, CancellationToken cancellationToken) => PrepareAsync(host, migrate: true, cancellationToken);

    /// <summary>Validates options and the mapping, and migrates the database. Throws <see cref="ConfigurationException"/> on bad input.</summary>
    public static async Task PrepareAsync(IHost host, bool migrate, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken); // runs ValidateOnStart
            _ = host.Services.GetRequiredService<MappingProfile>();
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationException([.. ex.Failures]);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // ValidateOnStart reports every invalid options type at once.
            throw new ConfigurationException([.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)]);
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
}
