using System.Collections.Concurrent;
using Connector.Salesforce.Auth;
using Eventbus.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce.PubSub;

/// <summary>
/// The Salesforce Pub/Sub API over gRPC (<see cref="SalesforceOptions.PubSubEndpoint"/>): every call carries the
/// documented auth metadata (<c>accesstoken</c>, <c>instanceurl</c>, <c>tenantid</c>) from the same token cache as the
/// REST client, and an auth error drops the token so the next call fetches another. Schemas are cached by schema id.
/// </summary>
internal sealed class PubSubClient : IDisposable
{
    private readonly TokenCache _tokens;
    private readonly Lazy<GrpcChannel> _channel;
    private readonly ConcurrentDictionary<string, ChangeEventSchema> _schemas = new(StringComparer.Ordinal);

    public PubSubClient(TokenCache tokens, IOptions<SalesforceOptions> options, TimeProvider time)
    {
        _tokens = tokens;
        Time = time;
        var endpoint = new Uri(options.Value.PubSubEndpoint);
        _channel = new Lazy<GrpcChannel>(() => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // HTTP/2 pings keep an idle stream's connection open through proxies, and find a dead one.
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        }));
    }

    public TimeProvider Time { get; }

    internal Eventbus.V1.PubSub.PubSubClient Stub => new(_channel.Value);

    /// <summary>The topic's current schema id and whether this user may subscribe.</summary>
    public async Task<TopicInfo> TopicAsync(string topic, CancellationToken cancellationToken)
    {
        var (headers, token) = await AuthAsync(cancellationToken);
        return await CallAsync(token, () => Stub.GetTopicAsync(new TopicRequest { TopicName = topic }, headers, cancellationToken: cancellationToken).ResponseAsync);
    }

    /// <summary>The decoder for a schema id, asked of the org the first time only.</summary>
    public async Task<ChangeEventSchema> SchemaAsync(string schemaId, CancellationToken cancellationToken)
    {
        if (_schemas.TryGetValue(schemaId, out var cached))
        {
            return cached;
        }

        var (headers, token) = await AuthAsync(cancellationToken);
        var info = await CallAsync(token, () => Stub.GetSchemaAsync(new SchemaRequest { SchemaId = schemaId }, headers, cancellationToken: cancellationToken).ResponseAsync);
        return _schemas.GetOrAdd(schemaId, new ChangeEventSchema(schemaId, info.SchemaJson));
    }

    /// <summary>
    /// Opens a subscription to <paramref name="topic"/> after <paramref name="replayId"/> (or at the tip when null).
    /// The stream receives on its own task and keeps asking for events, so slow processing never stalls it.
    /// </summary>
    public async Task<PubSubStream> SubscribeAsync(string topic, byte[]? replayId, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var (headers, token) = await AuthAsync(cancellationToken);
        var call = Stub.Subscribe(headers, cancellationToken: cancellationToken);
        return await PubSubStream.OpenAsync(this, call, token, topic, replayId, idleTimeout, cancellationToken);
    }

    internal void Refused(SalesforceToken token) => _tokens.Invalidate(token);

    private async Task<(Metadata Headers, SalesforceToken Token)> AuthAsync(CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAsync(cancellationToken);
        var headers = new Metadata
        {
            { "accesstoken", token.AccessToken },
            { "instanceurl", token.InstanceUrl.ToString().TrimEnd('/') },
        };
        if (token.OrgId is { } org)
        {
            headers.Add("tenantid", org);
        }

        return (headers, token);
    }

    private async Task<T> CallAsync<T>(SalesforceToken token, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            var failure = PubSubException.From(ex);
            if (failure.Failure == PubSubFailure.Auth)
            {
                Refused(token);
            }

            throw failure;
        }
    }

    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value.Dispose();
        }
    }
}
