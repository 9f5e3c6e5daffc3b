using System.Threading.Channels;
using Eventbus.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Connector.Sandbox.PubSub;

/// <summary>
/// The Pub/Sub API of the sandbox org (GetTopic, GetSchema, Subscribe) as Salesforce documents it: the
/// <c>accesstoken</c> metadata must be a live session; topics are <c>/data/ChangeEvents</c> (every selected object) and
/// <c>/data/&lt;Object&gt;ChangeEvent</c>; Subscribe delivers what was requested (at most 100 outstanding), sends a
/// keepalive with the latest replay id when idle, resumes after a CUSTOM replay id only while the events after it are
/// kept, and fails with the documented <c>error-code</c> trailers.
/// </summary>
internal sealed class SandboxPubSubService(SandboxOrg org) : Eventbus.V1.PubSub.PubSubBase
{
    private const string ErrorPrefix = "sfdc.platform.eventbus.grpc.";
    private const int MaxRequested = 100;

    public override Task<TopicInfo> GetTopic(TopicRequest request, ServerCallContext context)
    {
        Authenticate(context);
        org.ChangeEvents.TopicAsked(request.TopicName);
        var entities = Entities(request.TopicName);
        return Task.FromResult(new TopicInfo
        {
            TopicName = request.TopicName,
            TenantGuid = SandboxOrg.OrgId,
            CanSubscribe = !org.ChangeEvents.Unsubscribable.Contains(request.TopicName),
            CanPublish = false,
            SchemaId = entities.Count == 1 ? org.ChangeEvents.Schemas.SchemaIdOf(entities[0]) : "",
            RpcId = Guid.NewGuid().ToString(),
        });
    }

    public override Task<SchemaInfo> GetSchema(SchemaRequest request, ServerCallContext context)
    {
        Authenticate(context);
        var json = org.ChangeEvents.Schemas.Json(request.SchemaId)
            ?? throw Error(StatusCode.NotFound, "schema.not.found", $"Schema {request.SchemaId} does not exist.");
        return Task.FromResult(new SchemaInfo { SchemaId = request.SchemaId, SchemaJson = json, RpcId = Guid.NewGuid().ToString() });
    }

    public override async Task Subscribe(IAsyncStreamReader<FetchRequest> requestStream, IServerStreamWriter<FetchResponse> responseStream, ServerCallContext context)
    {
        Authenticate(context);
        var bus = org.ChangeEvents;
        bus.Subscribed();
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return;
        }

        var first = requestStream.Current;
        var entities = Entities(first.TopicName);
        bool Matches(RecordChange change) => entities.Contains(change.Entity, StringComparer.OrdinalIgnoreCase);
        if (first.NumRequested <= 0)
        {
            throw Error(StatusCode.InvalidArgument, "subscription.fetch.requested.events.invalid", "num_requested must be greater than 0.");
        }

        var position = first.ReplayPreset switch
        {
            ReplayPreset.Earliest => bus.Log.All is [var oldest, ..] ? oldest.ReplayId - 1 : bus.Log.Latest,
            ReplayPreset.Custom => ResumePoint(first.ReplayId),
            _ => bus.Log.Latest,
        };

        // Requests after the first arrive on their own task; each one (and each new event) wakes the delivery loop.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var pending = Math.Min(first.NumRequested, MaxRequested);
        var gate = new Lock();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var requests = Task.Run(async () =>
        {
            try
            {
                while (await requestStream.MoveNext(stop.Token))
                {
                    if (!string.IsNullOrEmpty(requestStream.Current.TopicName) && requestStream.Current.TopicName != first.TopicName)
                    {
                        break;
                    }

                    lock (gate)
                    {
                        pending = Math.Min(pending + Math.Max(requestStream.Current.NumRequested, 0), MaxRequested);
                    }

                    wake.Writer.TryWrite(true);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
                // The client went away.
            }
        }, CancellationToken.None);

        try
        {
            while (!context.CancellationToken.IsCancellationRequested)
            {
                var appended = bus.Log.NextAppendAsync();
                var tip = bus.Log.Latest;
                int wanted;
                lock (gate)
                {
                    wanted = pending;
                }

                var batch = wanted > 0 ? bus.Log.After(position, Matches, wanted) : [];
                if (batch.Count > 0)
                {
                    if (bus.DeliveryDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(bus.DeliveryDelay, context.CancellationToken);
                    }

                    if (!bus.TakeDelivery(batch.Count))
                    {
                        throw Error(StatusCode.ResourceExhausted, "subscription.limit.exceeded", "You have exceeded the event delivery limit for your org.");
                    }

                    var response = new FetchResponse { RpcId = Guid.NewGuid().ToString(), LatestReplayId = ByteString.CopyFrom(ChangeEventLog.Encode(batch[^1].ReplayId)) };
                    foreach (var stored in batch)
                    {
                        var (schemaId, payload) = bus.Schemas.Encode(stored);
                        response.Events.Add(new ConsumerEvent
                        {
                            ReplayId = ByteString.CopyFrom(ChangeEventLog.Encode(stored.ReplayId)),
                            Event = new ProducerEvent { Id = Guid.NewGuid().ToString(), SchemaId = schemaId, Payload = ByteString.CopyFrom(payload) },
                        });
                    }

                    lock (gate)
                    {
                        pending -= batch.Count;
                        response.PendingNumRequested = pending;
                    }

                    await responseStream.WriteAsync(response, context.CancellationToken);
                    position = batch[^1].ReplayId;
                    if (bus.TakeReset(batch.Count))
                    {
                        throw new RpcException(new Status(StatusCode.Unavailable, "RST_STREAM closed stream. HTTP/2 error code: NO_ERROR"));
                    }

                    continue;
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
                var keepalive = Task.Delay(bus.KeepaliveInterval, idle.Token);
                var woken = await Task.WhenAny(appended, wake.Reader.WaitToReadAsync(idle.Token).AsTask(), keepalive);
                await idle.CancelAsync();
                wake.Reader.TryRead(out _);
                if (woken == keepalive && wanted > 0)
                {
                    // Idle with events requested: a keepalive carries the tip, so the client's stored position stays fresh.
                    position = Math.Max(position, tip);
                    await responseStream.WriteAsync(new FetchResponse
                    {
                        RpcId = Guid.NewGuid().ToString(),
                        LatestReplayId = ByteString.CopyFrom(ChangeEventLog.Encode(position)),
                        PendingNumRequested = wanted,
                    }, context.CancellationToken);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await requests;
        }
    }

    private long ResumePoint(ByteString replayId)
    {
        var bus = org.ChangeEvents;
        if (replayId.IsEmpty)
        {
            throw Error(StatusCode.InvalidArgument, "subscription.fetch.replayid.validation.failed", "A CUSTOM replay preset needs a replay id.");
        }

        if (bus.RejectReplayIds || ChangeEventLog.Decode(replayId.Span) is not { } after || !bus.Log.CanResumeAfter(after))
        {
            throw Error(StatusCode.InvalidArgument, "subscription.fetch.replayid.corrupted",
                "The Replay ID validation failed. Ensure that the Replay ID is valid and within the retention window of 72 hours.");
        }

        return after;
    }

    private List<string> Entities(string topic)
    {
        var selected = org.Data.Schema.Objects.Select(o => o.Name)
            .Where(n => org.ChangeEvents.SelectedEntities.Count == 0 || org.ChangeEvents.SelectedEntities.Contains(n)).ToList();
        if (topic == "/data/ChangeEvents")
        {
            return selected;
        }

        var named = selected.Where(n => "/data/" + ChangeEventSchemas.EventName(n) == topic).ToList();
        return named.Count > 0 ? named : throw Error(StatusCode.NotFound, "topic.not.found", $"Topic {topic} does not exist or is not selected for change data capture.");
    }

    private void Authenticate(ServerCallContext context)
    {
        var token = context.RequestHeaders.GetValue("accesstoken");
        if (token is null || !org.IsSession(token))
        {
            throw Error(StatusCode.Unauthenticated, "service.auth.error", "An authentication exception occurred. Provide valid authentication via metadata headers.");
        }
    }

    private static RpcException Error(StatusCode status, string code, string message) =>
        new(new Status(status, $"{message} rpcId: {Guid.NewGuid()}"), new Metadata { { "error-code", ErrorPrefix + code } });
}
