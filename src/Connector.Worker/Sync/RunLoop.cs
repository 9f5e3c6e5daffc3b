using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Worker.Sync;

/// <summary>
/// The loop of <c>connector run</c>: a cycle now, then one per poll interval on the injected <see cref="TimeProvider"/>
/// (ticks coalesce, so cycles never overlap). A failed cycle is logged and retried on the next tick; cancellation
/// (SIGTERM) ends the loop after the current step's transaction has committed or rolled back.
/// </summary>
internal static class RunLoop
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var cycle = services.GetRequiredService<SyncCycle>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Connector.Run");
        var heartbeat = services.GetService<LoopHeartbeat>();
        var time = services.GetRequiredService<TimeProvider>();
        using var timer = new PeriodicTimer(services.GetRequiredService<IOptions<SyncOptions>>().Value.PollInterval, time);
        try
        {
            do
            {
                heartbeat?.CycleStarted(time.GetUtcNow());
                try
                {
                    var report = await cycle.RunAsync(cancellationToken);
                    Log.CycleDone(logger, report.InvoicesPosted.Count, report.TotalWrittenBack, report.Quarantined.Count, report.ApiCalls);
                }
#pragma warning disable CA1031 // The cycle boundary catches everything; the next tick retries.
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    Log.CycleFailed(logger, ex);
                }
                finally
                {
                    heartbeat?.CycleEnded(time.GetUtcNow());
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: every step commits its own transaction, so nothing is half-written.
        }
    }
}
