using System.Globalization;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce.Limits;

/// <summary>
/// Whether the connector may start new work against the org: not while the last reported daily usage is at or above
/// the configured share of the allocation, nor during the cool-down after REQUEST_LIMIT_EXCEEDED. Usage is learnt from
/// every response's Sforce-Limit-Info and, while paused, from one cheap limits call per cycle.
/// </summary>
internal sealed class ApiBudget(ApiUsage usage, IOptions<SalesforceOptions> options, TimeProvider timeProvider)
{
    private long _trippedUntilTicks;

    /// <summary>Null when work may start; otherwise why not, for logs and status.</summary>
    public string? PauseReason()
    {
        var now = timeProvider.GetUtcNow();
        var until = Interlocked.Read(ref _trippedUntilTicks);
        if (now.UtcTicks < until)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the org refused calls with REQUEST_LIMIT_EXCEEDED; paused until {new DateTimeOffset(until, TimeSpan.Zero):yyyy-MM-dd HH:mm}Z");
        }

        var share = options.Value.ApiBudgetShare;
        return usage.Last is { Max: > 0 } last && last.UsedShare >= share
            ? string.Create(CultureInfo.InvariantCulture, $"API usage {last} ({last.UsedShare:P0}) is at or above the budget of {share:P0}")
            : null;
    }

    /// <summary>The org answered REQUEST_LIMIT_EXCEEDED (TotalRequests): stop asking for the cool-down.</summary>
    public void Trip() => Interlocked.Exchange(ref _trippedUntilTicks, (timeProvider.GetUtcNow() + options.Value.ApiLimitCooldown).UtcTicks);

    /// <summary>The cool-down is over or usage was refreshed: calls may be tried again.</summary>
    public bool InCooldown => timeProvider.GetUtcNow().UtcTicks < Interlocked.Read(ref _trippedUntilTicks);
}
