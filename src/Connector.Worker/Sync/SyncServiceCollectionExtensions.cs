using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>The cycle and its steps. Options bind from Connector:Sync.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<SyncOptions>>(new Hosting.AnnotatedOptionsValidator<SyncOptions>(SyncOptions.SectionName));
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName)
            .Validate(static o => IsCron(o.InvoiceRunSchedule), "Connector:Sync:InvoiceRunSchedule is not a cron expression; use five fields such as '0 2 1 * *' (02:00 on the 1st).")
            .ValidateOnStart();
        services.AddSingleton<CycleRecorder>();
        services.AddSingleton<BudgetGate>();
        services.AddSingleton<ProgressReporter>();
        services.AddSingleton<ServiceRunner>();
        services.AddSingleton<Hosting.LoopHeartbeat>();
        services.AddSingleton<IngestStep>();
        services.AddSingleton<WriteBackStep>();
        services.AddSingleton<SyncCycle>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ConnectorMetrics>();
        services.AddSingleton<Operations.QuarantineService>();
        return services;
    }

    private static bool IsCron(string expression)
    {
        try
        {
            _ = Cronos.CronExpression.Parse(expression);
            return true;
        }
        catch (Cronos.CronFormatException)
        {
            return false;
        }
    }
}
