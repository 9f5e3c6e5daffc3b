using Connector.Sync.ChangeEvents;
using Connector.Worker.Operations;

namespace Connector.Worker.Tests.Operations;

/// <summary>What <c>connector status</c> says about a change event channel.</summary>
[TestFixture]
public sealed class ChannelLineTests
{
    private static readonly ChannelState Channel = new()
    {
        Channel = "/data/OrderChangeEvent", ReplayId = "AAAAAAAAAAU=", EventsDay = "2026-12-04", EventsToday = 1_250, EventsTotal = 9_000, OwnSkipped = 300,
        LastCommitAt = "2026-12-04T10:00:00.000Z", LastAppliedAt = "2026-12-04T10:00:01.500Z",
        FallbackPolls = 1, LastFallbackAt = "2026-12-04T09:00:00.000Z", LastFallbackReason = "no stored replay id: subscribed at the tip, and polled what came before",
    };

    [Test]
    public void A_channel_shows_its_position_lag_use_of_the_allocation_and_fallbacks()
    {
        var line = OperationsCommands.ChannelLine(Channel, 25_000, new DateOnly(2026, 12, 4));

        Assert.That(line, Does.Contain("/data/OrderChangeEvent: replay id stored")
            .And.Contain("last event 1.5 s after its commit")
            .And.Contain("1250 events today of 25000 daily deliveries (5.0%)")
            .And.Contain("300 own skipped")
            .And.Contain("1 fallback poll, last 2026-12-04T09:00:00.000Z: no stored replay id"));
    }

    [Test]
    public void Yesterdays_events_do_not_count_today_and_a_forgotten_replay_id_says_the_next_start_polls()
    {
        var line = OperationsCommands.ChannelLine(Channel with { ReplayId = null, FallbackPolls = 2 }, 25_000, new DateOnly(2026, 12, 5));

        Assert.That(line, Does.Contain("replay id none (the next start polls)").And.Contain("0 events today").And.Contain("2 fallback polls"));
    }
}
