using System.Threading.Channels;
using Connector.Salesforce.Auth;
using Eventbus.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Connector.Salesforce.PubSub;

/// <summary>What one FetchResponse brought: its events (none for a keepalive) and the stream's latest replay id.</summary>
internal sealed record FetchedBatch(IReadOnlyList<ChangeEvent> Events, ReadOnlyMemory<byte> LatestReplayId);

/// <summary>
/// An open Subscribe call. Receiving runs on its own task into a queue the caller reads from, so a slow consumer never
/// stalls the stream: events are asked for 100 at a time (the most the server grants), again as soon as the server has
/// sent what was asked and fewer than 500 wait in the queue, and in any case within 45 s of the last request (the server
/// drops a stream left without a request for about 60 s). A stream that sends nothing, not even a keepalive (they come
/// within 270 s), for the idle timeout is broken, and ends with a transient failure.
/// </summary>
internal sealed class PubSubStream : IAsyncDisposable
{
    public const int BatchSize = 100;
    private const int MaxBacklog = 500;
    private static readonly TimeSpan RequestTick = TimeSpan.FromSeconds(45);

    private readonly PubSubClient _client;
    private readonly AsyncDuplexStreamingCall<FetchRequest, FetchResponse> _call;
    private readonly SalesforceToken _token;
    private readonly TimeSpan _idleTimeout;
    private readonly Channel<FetchedBatch> _received = Channel.CreateUnbounded<FetchedBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _stop;
    private Task _reader = Task.CompletedTask;
    private int _backlog;
    private int _pending;

    private PubSubStream(PubSubClient client, AsyncDuplexStreamingCall<FetchRequest, FetchResponse> call, SalesforceToken token, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        _client = client;
        _call = call;
        _token = token;
        _idleTimeout = idleTimeout;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>FetchRequests sent on this stream (the first included).</summary>
    public int Requests { get; private set; }

    internal static async Task<PubSubStream> OpenAsync(PubSubClient client, AsyncDuplexStreamingCall<FetchRequest, FetchResponse> call, SalesforceToken token,
        string topic, byte[]? replayId, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var stream = new PubSubStream(client, call, token, idleTimeout, cancellationToken);
        var first = new FetchRequest { TopicName = topic, NumRequested = BatchSize, ReplayPreset = replayId is null ? ReplayPreset.Latest : ReplayPreset.Custom };
        if (replayId is { } after)
        {
            first.ReplayId = ByteString.CopyFrom(after);
        }

        await stream.SendAsync(first);
        stream._reader = Task.Run(stream.ReceiveAsync, CancellationToken.None);
        return stream;
    }

    /// <summary>What the stream brings, in order, until it breaks (a <see cref="PubSubException"/>) or is cancelled.</summary>
    public async IAsyncEnumerable<FetchedBatch> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _received.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_received.Reader.TryRead(out var batch))
            {
                Interlocked.Add(ref _backlog, -batch.Events.Count);
                await AskIfDueAsync(force: false);
                yield return batch;
            }
        }
    }

    private async Task ReceiveAsync()
    {
        try
        {
            var lastMessage = _client.Time.GetTimestamp();
            var next = _call.ResponseStream.MoveNext(_stop.Token);
            var tickEvery = RequestTick < _idleTimeout ? RequestTick : _idleTimeout;
            var tick = Task.Delay(tickEvery, _client.Time, _stop.Token);
            while (true)
            {
                if (await Task.WhenAny(next, tick) == tick)
                {
                    await tick; // cancelled: stopping
                    tick = Task.Delay(tickEvery, _client.Time, _stop.Token);
                    if (_client.Time.GetElapsedTime(lastMessage) >= _idleTimeout)
                    {
                        throw new PubSubException(PubSubFailure.Transient, $"The stream sent nothing for {_idleTimeout.TotalSeconds:0} s (not even a keepalive); reconnecting.");
                    }

                    await AskIfDueAsync(force: true);
                    continue;
                }

                if (!await next)
                {
                    throw new PubSubException(PubSubFailure.Transient, "The server closed the stream.");
                }

                lastMessage = _client.Time.GetTimestamp();
                var response = _call.ResponseStream.Current;
                next = _call.ResponseStream.MoveNext(_stop.Token);
                var events = new List<ChangeEvent>(response.Events.Count);
                foreach (var received in response.Events)
                {
                    var schema = await _client.SchemaAsync(received.Event.SchemaId, _stop.Token);
                    events.Add(schema.Decode(received.Event.Payload.Memory, received.ReplayId.ToByteArray()));
                }

                Interlocked.Add(ref _backlog, events.Count);
                Volatile.Write(ref _pending, response.PendingNumRequested);
                await _received.Writer.WriteAsync(new FetchedBatch(events, response.LatestReplayId.ToByteArray()), _stop.Token);
                await AskIfDueAsync(force: false);
            }
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !_stop.IsCancellationRequested)
        {
            var failure = PubSubException.From(ex);
            if (failure.Failure == PubSubFailure.Auth)
            {
                _client.Refused(_token);
            }

            _received.Writer.TryComplete(failure);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException && _stop.IsCancellationRequested)
        {
            _received.Writer.TryComplete();
        }
#pragma warning disable CA1031 // The receiving task's boundary: any failure ends the stream and reaches the reader.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _received.Writer.TryComplete(ex is PubSubException ? ex : new PubSubException(PubSubFailure.Transient, $"The stream failed: {ex.Message}", inner: ex));
        }
    }

    /// <summary>Asks for the next 100 once the server has sent what was asked, unless too many wait (or when forced by the tick).</summary>
    private async Task AskIfDueAsync(bool force)
    {
        await _writeGate.WaitAsync(_stop.Token);
        try
        {
            if (Volatile.Read(ref _pending) > 0 || (!force && Volatile.Read(ref _backlog) >= MaxBacklog))
            {
                return;
            }

            await _call.RequestStream.WriteAsync(new FetchRequest { NumRequested = BatchSize }, _stop.Token);
            Requests++;
            Volatile.Write(ref _pending, BatchSize);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task SendAsync(FetchRequest request)
    {
        try
        {
            await _call.RequestStream.WriteAsync(request, _stop.Token);
            Requests++;
            Volatile.Write(ref _pending, request.NumRequested);
        }
        catch (RpcException ex)
        {
            throw PubSubException.From(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _call.Dispose();
        _stop.Dispose();
        _writeGate.Dispose();
    }
}
