using Connector.Salesforce;
using Connector.Salesforce.Api;
using Connector.Sync.Cycles;
using Microsoft.Extensions.Options;

namespace Connector.Sync.WriteBack;

/// <summary>
/// How outbox rows travel, whatever they carry: an attempt is counted before anything is sent, a call that fails whole
/// reschedules every row it carried, and each row then settles on its own result: done (with the id the org gave it and
/// the follow-ups it calls for, in one transaction), retried later with backoff, or parked as Failed.
/// </summary>
internal sealed class OutboxDelivery(OutboxStore outbox, IOptions<WriteBackOptions> options)
{
    /// <summary>First retry delay of <c>sync --once</c>, which retries within its own invocation: 1 s, then 2, 4, 8…</summary>
    private static readonly TimeSpan QuickRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Completes all but the newest row per entity (one call may not name a record twice); returns the newest.</summary>
    public async Task<List<OutboxMessage>> LatestPerEntityAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        var superseded = messages.GroupBy(m => m.EntityKey, StringComparer.Ordinal).SelectMany(g => g.OrderByDescending(m => m.Id).Skip(1)).ToList();
        await outbox.CompleteManyAsync([.. superseded.Select(m => m.Id)], cancellationToken);
        return [.. messages.Except(superseded)];
    }

    /// <summary>Counts the attempt, sends, and on a whole-call failure reschedules every message of the call.</summary>
    public Task<IReadOnlyList<SaveResult>?> SendAsync(
        IReadOnlyList<OutboxMessage> messages, CycleReport report, Func<CancellationToken, Task<IReadOnlyList<SaveResult>>> send, CancellationToken cancellationToken) =>
        SendAsync(messages, report, send, countAttempt: true, cancellationToken);

    /// <summary>Sends (counting the attempt first when <paramref name="countAttempt"/>), and on a whole-call failure reschedules every message of the call.</summary>
    public async Task<IReadOnlyList<SaveResult>?> SendAsync(
        IReadOnlyList<OutboxMessage> messages,
        CycleReport report,
        Func<CancellationToken, Task<IReadOnlyList<SaveResult>>> send,
        bool countAttempt,
        CancellationToken cancellationToken)
    {
        if (countAttempt)
        {
            await outbox.StartAttemptAsync([.. messages.Select(m => m.Id)], cancellationToken);
        }

        try
        {
            return await send(cancellationToken);
        }
        catch (SalesforceApiException ex)
        {
            foreach (var message in messages)
            {
                await FailAsync(message, ex.Message, permanent: !ex.IsTransient && ex.ErrorCode != "MALFORMED_RESPONSE", report, cancellationToken);
            }

            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
            && !cancellationToken.IsCancellationRequested)
        {
            foreach (var message in messages)
            {
                await FailAsync(message, $"{ex.GetType().Name}: {ex.Message}", permanent: false, report, cancellationToken);
            }

            return null;
        }
    }

    /// <summary>
    /// Settles the messages whose record was saved, in one transaction with the ids the org gave them and the follow-ups
    /// they call for, and reschedules or parks the others. Returns how many follow-ups it queued.
    /// </summary>
    public Task<int> SettleAsync(IReadOnlyList<OutboxMessage> messages, IReadOnlyList<SaveResult> results, string objectName, bool rememberIds, CycleReport report,
        CancellationToken cancellationToken) =>
        SettleAsync(messages, results, objectName, rememberIds, report, followUp: null, cancellationToken);

    /// <summary>As the overload above; <paramref name="followUp"/> names the fact each saved message calls for next (a PDF's link), if any.</summary>
    public async Task<int> SettleAsync(IReadOnlyList<OutboxMessage> messages, IReadOnlyList<SaveResult> results, string objectName, bool rememberIds, CycleReport report,
        Func<OutboxMessage, SaveResult, (string Topic, string EntityKey, string Payload)?>? followUp, CancellationToken cancellationToken)
    {
        var saved = messages.Zip(results).Where(p => p.Second.Success).ToList();
        IReadOnlyList<(string, string)> remoteIds = rememberIds ? [.. saved.Where(p => p.Second.Id is not null).Select(p => (p.First.EntityKey, p.Second.Id!))] : [];
        IReadOnlyList<(string, string, string)> followUps = followUp is null ? [] : [.. saved.Select(p => followUp(p.First, p.Second)).OfType<(string, string, string)>()];
        await outbox.SettleAsync(new OutboxSettlement([.. saved.Select(p => p.First.Id)], objectName, remoteIds, followUps), cancellationToken);
        if (saved.Count > 0)
        {
            report.WrittenBack[objectName] = report.WrittenBack.GetValueOrDefault(objectName) + saved.Count;
        }

        foreach (var (message, result) in messages.Zip(results).Where(p => !p.Second.Success))
        {
            await FailAsync(message, $"{objectName} {message.EntityKey}: {result}", permanent: !result.IsRetryable, report, cancellationToken);
        }

        return followUps.Count;
    }

    /// <summary>
    /// Reschedules a row with exponential backoff (from <see cref="WriteBackOptions.WriteBackRetryDelay"/>, at most an hour),
    /// or parks it as Failed when the failure is permanent or it has failed <see cref="WriteBackOptions.MaxWriteBackAttempts"/> times.
    /// </summary>
    public async Task FailAsync(OutboxMessage message, string error, bool permanent, CycleReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(report);

        // Failures, not started attempts, decide parking: an attempt a crash cut short never brings a row closer to Failed.
        var failures = message.Failures + 1;
        var parked = permanent || failures >= options.Value.MaxWriteBackAttempts;
        var baseDelay = report.QuickRetries ? TimeSpan.FromTicks(Math.Min(options.Value.WriteBackRetryDelay.Ticks, QuickRetryDelay.Ticks)) : options.Value.WriteBackRetryDelay;
        var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, baseDelay.Ticks * (1L << Math.Min(failures - 1, 20))));
        await outbox.FailAsync(message.Id, error, delay, parked, cancellationToken);
        report.WriteBackFailures.Add(parked ? $"{error} (parked as Failed)" : $"{error} (retrying in {delay})");
        if (parked)
        {
            report.ParkedWriteBacks++;
        }
    }
}
