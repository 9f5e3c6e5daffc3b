using Connector.Salesforce;
using Connector.Salesforce.Limits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Cycles;

/// <summary>
/// Asked before org work starts: null to go ahead, or why the connector is pausing (API budget reached, or the org's
/// allocation spent). While paused, usage is re-read with one limits call at most once per poll interval, so the
/// connector resumes by itself when the rolling 24-hour usage falls.
/// </summary>
internal sealed partial class BudgetGate(ApiBudget budget, ApiUsage usage, SalesforceClient salesforce, IOptions<SyncOptions> options, TimeProvider time, ILogger<BudgetGate> logger)
{
    private long _lastProbeTicks;
    private long _callsAtLastCheck = -1;

    public async Task<string?> PauseReasonAsync(CancellationToken cancellationToken)
    {
        var reason = budget.PauseReason();
        if (reason is null)
        {
            return null;
        }

        // Calls made since the last check brought fresh usage in their headers: no need to ask.
        var calls = usage.Calls;
        var fresh = Interlocked.Exchange(ref _callsAtLastCheck, calls) != calls;
        var now = time.GetUtcNow();
        if (fresh)
        {
            Interlocked.Exchange(ref _lastProbeTicks, now.UtcTicks); // a response's header is as good as a probe
        }
        else if (!budget.InCooldown && now.UtcTicks - Interlocked.Read(ref _lastProbeTicks) >= options.Value.PollInterval.Ticks)
        {
            Interlocked.Exchange(ref _lastProbeTicks, now.UtcTicks);
            try
            {
                await salesforce.GetLimitsAsync(cancellationToken);
                Interlocked.Exchange(ref _callsAtLastCheck, usage.Calls);
                reason = budget.PauseReason();
            }
            catch (SalesforceApiException ex)
            {
                reason = budget.PauseReason() ?? ex.Message;
            }
        }

        if (reason is not null)
        {
            Log.Paused(logger, reason);
        }

        return reason;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Pausing org work: {Reason}")]
        public static partial void Paused(ILogger logger, string reason);
    }
}
