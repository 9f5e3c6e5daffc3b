using Connector.Sync.ChangeEvents;
using Connector.Sync.Ingest;
using Connector.Sync.Leases;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Cycles;

internal static class SyncServiceCollectionExtensions
{
    /// <summary>The cycle, its stages (ingest, quarantine, write-back, leases) and its record. Options bind from Connector:Sync.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<SyncOptions>>(new AnnotatedOptionsValidator<SyncOptions>(SyncOptions.SectionName));
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.SectionName)
            .Validate(static o => IsCron(o.InvoiceRunSchedule), "Connector:Sync:InvoiceRunSchedule is not a cron expression; use five fields such as '0 2 1 * *' (02:00 on the 1st).")
            .ValidateOnStart();
        services.AddPipelineStages();
        services.AddChangeEvents();
        services.AddSingleton<CycleRecorder>();
        services.AddSingleton<BudgetGate>();
        services.AddSingleton<ProgressReporter>();
        services.AddSingleton<ServiceRunner>();
        services.AddSingleton<LoopHeartbeat>();
        services.AddSingleton<SyncCycle>();
        services.AddMetrics();
        services.AddSingleton<ConnectorMetrics>();
        return services;
    }

    /// <summary>
    /// The stages and their stores without the cycle: what verbs that never call the org need (a local invoice run
    /// still journals its postings into the outbox; <c>quarantine</c> and <c>status</c> read the stores).
    /// </summary>
    public static IServiceCollection AddPipelineStages(this IServiceCollection services)
    {
        services.AddIngest().AddQuarantine().AddWriteBack().AddLeases();
        services.AddSingleton<CycleStore>();
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
