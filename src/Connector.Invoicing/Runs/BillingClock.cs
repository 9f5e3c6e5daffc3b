using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Runs;

/// <summary>"Today" in the billing time zone, from the injected <see cref="TimeProvider"/>.</summary>
internal sealed class BillingClock(TimeProvider timeProvider, IOptions<BillingOptions> options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), _zone).DateTime);
}
