using System.Data.Common;
using Connector.Salesforce;
using Connector.Salesforce.PubSub;
using Connector.Sync.Cycles;
using Connector.Sync.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

/// <summary>
/// Keeps one channel's subscription alive and applies what it brings. It always resumes after its own stored replay id
/// and never skips silently: with no stored id (first start, or one the org rejected as corrupted or older than its
/// 72 h) it subscribes at the tip and then polls the channel's sources from their watermarks, so what came before is
/// read; an overflow event polls its object; a broken stream (network, service, idle past the timeout) reconnects with
/// backoff from the stored id, and while it is down the ingest loop polls its sources every poll interval.
/// </summary>
internal sealed partial class ChangeStream(
    PubSubClient pubSub,
    ChangeEventApplier applier,
    ChannelStore channels,
    IngestStep ingest,
    ChangeStreams streams,
    ConnectorMetrics metrics,
    IOptions<ChangeEventOptions> options,
    TimeProvider time,
    ILogger<ChangeStream> logger)
{
    /// <summary>
    /// Streams <paramref name="channel"/> until cancelled; <paramref name="applied"/> is told what each batch (and each
    /// fallback poll) stored, to bill what asks for it at once.
    /// </summary>
    public async Task RunAsync(StreamedChannel channel, Func<CycleReport, CancellationToken, Task> applied, CancellationToken cancellationToken)
    {
        var failures = 0;
        string? startOver = null; // why the stored replay id cannot be used, once the org rejected it
        while (!cancellationToken.IsCancellationRequested)
        {
            var live = false;
            var pause = 0; // failures to back off for, once the stream is marked down (its sources then poll meanwhile)
            try
            {
                var topic = await pubSub.TopicAsync(channel.Name, cancellationToken);
                if (!topic.CanSubscribe)
                {
                    throw new PubSubException(PubSubFailure.Refused, $"The integration user may not subscribe to {channel.Name}: give it read access to the channel's objects (the Connector_Integration permission set).");
                }

                var replayId = startOver is null ? await channels.ReplayIdAsync(channel.Name, cancellationToken) : null;
                await using var stream = await pubSub.SubscribeAsync(channel.Name, replayId, options.Value.IdleTimeout, cancellationToken);
                streams.SetLive(channel, live = true);
                metrics.StreamLive(true);
                Log.Subscribed(logger, channel.Name, replayId is null ? "the tip" : "the stored replay id");
                if (replayId is null)
                {
                    // Whatever changed before the tip is not in the stream: a poll reads it (after subscribing, so nothing falls between).
                    await FallbackAsync(channel, channel.Sources, startOver ?? "no stored replay id: subscribed at the tip, and polled what came before", startOver is not null, applied, cancellationToken);
                    startOver = null;
                }

                await foreach (var fetched in stream.ReadAllAsync(cancellationToken))
                {
                    failures = 0;
                    var report = new CycleReport();
                    var (overflow, own) = await applier.ApplyAsync(channel.Name, fetched, report, cancellationToken);
                    metrics.RecordChangeEvents(channel.Name, fetched.Events.Count, own,
                        fetched.Events.Count > 0 ? time.GetUtcNow() - fetched.Events.Max(e => e.CommitTimestamp) : null);
                    if (fetched.Events.Count > 0)
                    {
                        Log.Applied(logger, channel.Name, fetched.Events.Count, report.RecordsRead.Values.Sum());
                    }

                    if (overflow.Count > 0)
                    {
                        await FallbackAsync(channel, overflow, $"an overflow event (more than 100,000 changes in one transaction) for {string.Join(", ", overflow)}", false, applied, cancellationToken);
                    }

                    if (fetched.Events.Count > 0)
                    {
                        await applied(report, cancellationToken);
                    }
                }

                throw new PubSubException(PubSubFailure.Transient, "The stream ended.");
            }
            catch (PubSubException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the call was cancelled under the stream, which may see it before the token says so.
                throw new OperationCanceledException(cancellationToken);
            }
            catch (PubSubException ex)
            {
                failures++;
                Log.StreamBroken(logger, channel.Name, ex.Failure, ex.ErrorCode ?? "-", ex.Message);
                if (ex.Failure == PubSubFailure.ReplayRejected)
                {
                    // Events after the stored id may be gone: the next subscription starts at the tip and polls from the watermark.
                    startOver = $"the org rejected the stored replay id ({ex.ErrorCode}): events after it may have expired; subscribed at the tip and polled from the watermark";
                }
                else
                {
                    pause = ex.Failure is PubSubFailure.Refused or PubSubFailure.LimitExceeded or PubSubFailure.Malformed ? int.MaxValue : failures;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is SalesforceApiException or DbException or HttpRequestException or TimeoutException or Salesforce.Auth.SalesforceAuthException)
            {
                // Reading the records or storing them failed: nothing was committed, the stream resumes from the stored id.
                failures++;
                Log.ApplyFailed(logger, channel.Name, ex);
                pause = failures;
            }
            finally
            {
                if (live)
                {
                    streams.SetLive(channel, false);
                    metrics.StreamLive(false);
                }
            }

            if (pause > 0)
            {
                await PauseAsync(pause, cancellationToken);
            }
        }
    }

    private async Task FallbackAsync(StreamedChannel channel, IReadOnlySet<string> sources, string reason, bool forgetReplayId,
        Func<CycleReport, CancellationToken, Task> applied, CancellationToken cancellationToken)
    {
        Log.Fallback(logger, channel.Name, reason);
        var report = new CycleReport();
        await ingest.RunAsync(report, sources, cancellationToken);
        await channels.RecordFallbackAsync(channel.Name, reason, forgetReplayId, cancellationToken);
        metrics.RecordFallbackPoll(channel.Name);
        await applied(report, cancellationToken);
    }

    /// <summary>Waits before reconnecting: 1 s, doubling, up to the maximum (at once the maximum for a refusal that will not pass by itself).</summary>
    private Task PauseAsync(int failures, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBackoff;
        var wait = failures >= 30 ? max : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), max.TotalSeconds));
        return Task.Delay(wait, time, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Change events: subscribed to {Channel} from {From}")]
        public static partial void Subscribed(ILogger logger, string channel, string from);

        [LoggerMessage(Level = LogLevel.Information, Message = "Change events: {Channel} brought {Events} events; {Stored} record versions stored")]
        public static partial void Applied(ILogger logger, string channel, int events, int stored);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Change events: polling for {Channel}: {Reason}")]
        public static partial void Fallback(ILogger logger, string channel, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Change events: the stream of {Channel} broke ({Failure}, {ErrorCode}): {Detail}; its sources are polled until it is back")]
        public static partial void StreamBroken(ILogger logger, string channel, PubSubFailure failure, string errorCode, string detail);

        [LoggerMessage(Level = LogLevel.Error, Message = "Change events: applying events of {Channel} failed; resuming from the stored replay id")]
        public static partial void ApplyFailed(ILogger logger, string channel, Exception exception);
    }
}
