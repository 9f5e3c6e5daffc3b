using System.Data.Common;
using Connector.Sync.Ingest;
using Connector.Sync.Leases;
using Connector.Sync.WriteBack;
using Cronos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Cycles;

/// <summary>
/// <c>connector run</c>: the replica that holds the "leader" lease runs its loops on the injected
/// <see cref="TimeProvider"/>: ingest every poll interval, invoice runs on the cron schedule in the billing time zone
/// (and once at start, which bills only what is due and unbilled), the write-back drain, continuous with backoff
/// when idle, and with change events on one stream per channel. What a poll or a stream stores that asks to be billed
/// now (Bill Now, an activation with InvoiceOnActivation, a payment) is billed at once and wakes the write-back. Other replicas stand by and take over when the lease expires. Stopping (SIGTERM) cancels the loops
/// between or inside steps; every step commits or rolls back its own transactions, so nothing is half-written.
/// </summary>
internal sealed partial class ServiceRunner(
    SyncCycle cycle,
    IngestStep ingest,
    WriteBackStep writeBack,
    CycleRecorder recorder,
    Connector.Salesforce.Limits.ApiUsage apiUsage,
    LeaseStore leases,
    LoopHeartbeat heartbeat,
    Invoicing.Runs.BillingClock clock,
    ChangeEvents.ChangeStreams streams,
    ChangeEvents.ChangeStream changeStream,
    ChangeEvents.PromptBilling prompt,
    Mapping.Transform.RecordMapper mapper,
    IOptions<ChangeEvents.ChangeEventOptions> changeEvents,
    IOptions<SyncOptions> options,
    IOptions<Invoicing.Runs.BillingOptions> billing,
    TimeProvider time,
    ILogger<ServiceRunner> logger)
{
    public const string LeaseName = "leader";

    /// <summary>Completed (and replaced) to wake the write-back loop from its idle wait: something was billed now.</summary>
    private TaskCompletionSource _writeBackWake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DateTimeOffset _lastReconcile = DateTimeOffset.MinValue;

    /// <summary>This process's name in the lease table.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    public async Task RunAsync(CancellationToken stopping)
    {
        var o = options.Value;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (await TryLeadAsync(stopping))
                {
                    Log.Leading(logger, Holder);
                    await LeadAsync(stopping);
                }
                else
                {
                    await Task.Delay(o.LeaseDuration / 3, time, stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            try
            {
                await leases.ReleaseAsync(LeaseName, Holder, CancellationToken.None);
            }
            catch (DbException ex)
            {
                // The lease then simply expires; a standby takes over after LeaseDuration.
                Log.LeaseError(logger, ex);
            }
        }
    }

    private async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await leases.TryAcquireAsync(LeaseName, Holder, options.Value.LeaseDuration, cancellationToken);
        }
        catch (DbException ex)
        {
            Log.LeaseError(logger, ex);
            return false;
        }
    }

    private async Task LeadAsync(CancellationToken stopping)
    {
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var firstIngest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = new List<Task> { KeepLeaseAsync(leading), IngestLoopAsync(firstIngest, leading.Token), InvoiceLoopAsync(firstIngest.Task, leading.Token), WriteBackLoopAsync(leading.Token) };
        if (streams.Enabled)
        {
            loops.AddRange(streams.Channels.Select(channel => ChangeEventLoopAsync(channel, firstIngest.Task, leading.Token)));
        }

        await Task.WhenAny(loops);
        await leading.CancelAsync();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }
    }

    private async Task KeepLeaseAsync(CancellationTokenSource leading)
    {
        while (!leading.IsCancellationRequested)
        {
            await Task.Delay(options.Value.LeaseDuration / 3, time, leading.Token);
            if (!await TryLeadAsync(leading.Token))
            {
                Log.LeaseLost(logger, Holder);
                await leading.CancelAsync();
            }
        }
    }

    private async Task IngestLoopAsync(TaskCompletionSource firstPass, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            heartbeat.CycleStarted(time.GetUtcNow());
            var sources = SourcesToPoll();
            await GuardAsync(async () =>
            {
                var report = await cycle.RunStepsAsync("ingest", cancellationToken, (r, ct) => ingest.RunAsync(r, sources, ct));
                await BillPromptlyAsync(report, cancellationToken);
            }, cancellationToken);
            heartbeat.CycleEnded(time.GetUtcNow());
            firstPass.TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>
    /// Every mapped source, except those whose change event stream is live: they are polled only every reconcile
    /// interval (null: poll all).
    /// </summary>
    private IReadOnlySet<string>? SourcesToPoll()
    {
        var live = streams.LiveSources;
        var now = time.GetUtcNow();
        if (live.Count == 0 || now - _lastReconcile >= changeEvents.Value.ReconcileInterval)
        {
            _lastReconcile = now;
            return null;
        }

        return mapper.Profile.Sources.Keys.Where(s => !live.Contains(s)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One channel's stream, for as long as this replica leads; it starts once the first poll has stored the org.</summary>
    private async Task ChangeEventLoopAsync(ChangeEvents.StreamedChannel channel, Task firstIngest, CancellationToken cancellationToken)
    {
        await firstIngest.WaitAsync(cancellationToken);
        while (true)
        {
            await GuardAsync(() => changeStream.RunAsync(channel, (stored, ct) => GuardAsync(() => BillPromptlyAsync(stored, ct), ct), cancellationToken), cancellationToken);
            await Task.Delay(changeEvents.Value.MaxBackoff, time, cancellationToken);
        }
    }

    /// <summary>Bills at once what the stored changes ask for (Bill Now, activation, payments), then wakes the write-back.</summary>
    private async Task BillPromptlyAsync(CycleReport stored, CancellationToken cancellationToken)
    {
        if (!prompt.IsDue(stored))
        {
            return;
        }

        await cycle.RunStepsAsync("bill-now", cancellationToken, (report, ct) => prompt.RunAsync(stored, report, ct));
        Interlocked.Exchange(ref _writeBackWake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task InvoiceLoopAsync(Task firstIngest, CancellationToken cancellationToken)
    {
        // The run at start catches up on what is due; it waits for the first ingest so it bills current orders.
        await firstIngest.WaitAsync(cancellationToken);
        var schedule = CronExpression.Parse(options.Value.InvoiceRunSchedule);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(billing.Value.TimeZone);
        while (true)
        {
            await GuardAsync(() => cycle.RunStepsAsync("invoice-run", cancellationToken, cycle.BillAndRenderAsync), cancellationToken);
            var next = schedule.GetNextOccurrence(time.GetUtcNow(), zone) ?? throw new InvalidOperationException("The invoice run schedule has no next occurrence.");
            Log.NextInvoiceRun(logger, next, clock.Today());
            await Task.Delay(next - time.GetUtcNow(), time, cancellationToken);
        }
    }

    private async Task WriteBackLoopAsync(CancellationToken cancellationToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var report = new CycleReport();
            var started = time.GetUtcNow();
            var callsBefore = apiUsage.Calls;
            await GuardAsync(async () =>
            {
                await writeBack.RunAsync(report, cancellationToken);
                if (report.TotalWrittenBack > 0 || report.WriteBackFailures.Count > 0)
                {
                    // Only passes that did something are recorded: an idle drain would flood the history.
                    report.ApiCalls = apiUsage.Calls - callsBefore;
                    await recorder.RecordAsync("write-back", started, report, report.NeedsAttention ? "NeedsAttention" : "Succeeded", null, cancellationToken);
                }
            }, cancellationToken);
            idle = report.TotalWrittenBack > 0 ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.Value.WriteBackIdleDelay.Ticks));
            var woken = Volatile.Read(ref _writeBackWake).Task;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (await Task.WhenAny(Task.Delay(idle, time, wait.Token), woken) == woken)
            {
                idle = TimeSpan.FromMilliseconds(50); // something was billed now: deliver it at once
            }

            await wait.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task GuardAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work();
        }
#pragma warning disable CA1031 // A loop's boundary catches everything; the next pass retries.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.LoopFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "This replica ({Holder}) holds the lease and runs the loops")]
        public static partial void Leading(ILogger logger, string holder);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Lease lost by {Holder}; standing by")]
        public static partial void LeaseLost(ILogger logger, string holder);

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not read or renew the lease; standing by")]
        public static partial void LeaseError(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Next invoice run at {Next} (billing date today {Today})")]
        public static partial void NextInvoiceRun(ILogger logger, DateTimeOffset next, DateOnly today);

        [LoggerMessage(Level = LogLevel.Error, Message = "Loop pass failed; retrying on the next pass")]
        public static partial void LoopFailed(ILogger logger, Exception exception);
    }
}
