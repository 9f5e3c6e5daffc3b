using System.Diagnostics.Metrics;

namespace Connector.Sync.Cycles;

/// <summary>
/// The connector's metrics (OpenTelemetry, exported for Prometheus on /metrics by <c>connector run</c>): records
/// ingested, invoices posted and amounts billed, write-back results, API calls and the org's API usage, cycle
/// durations, and the write-back backlog and quarantine size as of the last cycle.
/// </summary>
internal sealed class ConnectorMetrics
{
    public const string MeterName = "Connector";

    private readonly Counter<long> _recordsIngested;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _invoicesPosted;
    private readonly Counter<double> _amountBilled;
    private readonly Counter<long> _writtenBack;
    private readonly Counter<long> _writeBackFailures;
    private readonly Counter<long> _apiCalls;
    private readonly Histogram<double> _cycleDuration;
    private readonly Counter<long> _cycles;
    private long _outboxPending;
    private long _outboxFailed;
    private long _quarantineOpen;
    private long _apiUsed;
    private long _apiMax;
    private long _paused;
    private readonly Counter<long> _eventsReceived;
    private readonly Counter<long> _eventsOwn;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _eventLag;
    private long _streamsLive;

    public ConnectorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _recordsIngested = meter.CreateCounter<long>("connector.records.ingested", "{record}", "Source record versions stored, by object.");
        _quarantined = meter.CreateCounter<long>("connector.records.quarantined", "{record}", "Records sent to quarantine, by object.");
        _invoicesPosted = meter.CreateCounter<long>("connector.invoices.posted", "{invoice}", "Invoices posted.");
        _amountBilled = meter.CreateCounter<double>("connector.amount.billed", "{currency_unit}", "Total of posted invoices, by currency.");
        _writtenBack = meter.CreateCounter<long>("connector.writeback.records", "{record}", "Records written to the org, by object.");
        _writeBackFailures = meter.CreateCounter<long>("connector.writeback.failures", "{record}", "Write-back attempts that failed.");
        _apiCalls = meter.CreateCounter<long>("connector.api.calls", "{call}", "Calls made to the org's API (each counts against the daily allocation).");
        _cycleDuration = meter.CreateHistogram<double>("connector.cycle.duration", "s", "Duration of a sync cycle.");
        _cycles = meter.CreateCounter<long>("connector.cycles", "{cycle}", "Sync cycles, by outcome.");
        meter.CreateObservableGauge("connector.outbox.pending", () => Interlocked.Read(ref _outboxPending), "{record}", "Write-back rows waiting, as of the last cycle.");
        meter.CreateObservableGauge("connector.outbox.failed", () => Interlocked.Read(ref _outboxFailed), "{record}", "Write-back rows parked as failed, as of the last cycle.");
        meter.CreateObservableGauge("connector.quarantine.open", () => Interlocked.Read(ref _quarantineOpen), "{record}", "Open quarantine rows, as of the last cycle.");
        meter.CreateObservableGauge("connector.api.usage.used", () => Interlocked.Read(ref _apiUsed), "{call}", "The org's daily API usage as last reported (Sforce-Limit-Info).");
        meter.CreateObservableGauge("connector.api.budget.paused", () => Interlocked.Read(ref _paused), "{boolean}", "1 when the last cycle paused org work for the API budget.");
        _eventsReceived = meter.CreateCounter<long>("connector.changeevents.received", "{event}", "Change events received, by channel (each counts against the org's daily delivery allocation).");
        _eventsOwn = meter.CreateCounter<long>("connector.changeevents.own", "{event}", "Change events of the connector's own writes, skipped, by channel.");
        _fallbacks = meter.CreateCounter<long>("connector.changeevents.fallback.polls", "{poll}", "Polls made because a stream could not promise every change (no replay id, rejected replay id, overflow), by channel.");
        _eventLag = meter.CreateHistogram<double>("connector.changeevents.lag", "s", "From an event's commit in the org to its change stored here.");
        meter.CreateObservableGauge("connector.changeevents.streams.live", () => Interlocked.Read(ref _streamsLive), "{stream}", "Change event streams subscribed now.");
        meter.CreateObservableGauge("connector.api.usage.max", () => Interlocked.Read(ref _apiMax), "{call}", "The org's daily API allocation as last reported.");
    }

    public void RecordCycle(CycleReport report, TimeSpan duration, string outcome, (long Used, long Max)? apiUsage, bool paused = false)
    {
        Interlocked.Exchange(ref _paused, paused ? 1 : 0);
        foreach (var (objectName, count) in report.RecordsRead)
        {
            _recordsIngested.Add(count, new KeyValuePair<string, object?>("object", objectName));
        }

        foreach (var group in report.Quarantined.GroupBy(q => q.ObjectName, StringComparer.Ordinal))
        {
            _quarantined.Add(group.Count(), new KeyValuePair<string, object?>("object", group.Key));
        }

        _invoicesPosted.Add(report.InvoicesPosted.Count);
        foreach (var invoice in report.InvoicesPosted)
        {
            _amountBilled.Add((double)invoice.Total.Value, new KeyValuePair<string, object?>("currency", invoice.Currency.Code));
        }

        foreach (var (objectName, count) in report.WrittenBack)
        {
            _writtenBack.Add(count, new KeyValuePair<string, object?>("object", objectName));
        }

        _writeBackFailures.Add(report.WriteBackFailures.Count);
        _apiCalls.Add(report.ApiCalls);
        _cycleDuration.Record(duration.TotalSeconds);
        _cycles.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (apiUsage is { } usage)
        {
            Interlocked.Exchange(ref _apiUsed, usage.Used);
            Interlocked.Exchange(ref _apiMax, usage.Max);
        }
    }

    public void RecordChangeEvents(string channel, int received, int own, TimeSpan? lag)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel);
        _eventsReceived.Add(received, tag);
        _eventsOwn.Add(own, tag);
        if (lag is { } l)
        {
            _eventLag.Record(Math.Max(0, l.TotalSeconds), tag);
        }
    }

    public void RecordFallbackPoll(string channel) => _fallbacks.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void StreamLive(bool live) => Interlocked.Add(ref _streamsLive, live ? 1 : -1);

    public void RecordBacklog(int outboxPending, int outboxFailed, int quarantineOpen)
    {
        Interlocked.Exchange(ref _outboxPending, outboxPending);
        Interlocked.Exchange(ref _outboxFailed, outboxFailed);
        Interlocked.Exchange(ref _quarantineOpen, quarantineOpen);
    }
}
