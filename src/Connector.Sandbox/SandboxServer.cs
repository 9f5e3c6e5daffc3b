using System.Collections.Concurrent;
using System.Net;
using Connector.Sandbox.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Connector.Sandbox;

/// <summary>
/// Hosts a <see cref="SandboxOrg"/> on a loopback Kestrel server (ASP.NET Core minimal APIs): in process for tests and
/// <c>demo</c>, or standalone as <c>connector sandbox</c>.
/// </summary>
internal sealed class SandboxServer : IDisposable, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Method, string Path, string Body)> _log;

    private SandboxServer(WebApplication app, SandboxOrg org, Uri url, Uri pubSubUrl, ConcurrentQueue<(string Method, string Path, string Body)> log)
    {
        _app = app;
        _log = log;
        Org = org;
        Url = url;
        PubSubUrl = pubSubUrl;
    }

    /// <summary>How much of each request body the log keeps.</summary>
    public const int LoggedBodyChars = 4_096;

    public SandboxOrg Org { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:51234/</c>: both the login URL and the instance URL.</summary>
    public Uri Url { get; }

    /// <summary>
    /// The org's Pub/Sub API (gRPC, HTTP/2 without TLS), on a port of its own as Salesforce serves it apart from the
    /// instance (<c>api.pubsub.salesforce.com:7443</c>).
    /// </summary>
    public Uri PubSubUrl { get; }

    /// <summary>Every request the server received (method and path), in order of arrival.</summary>
    public IReadOnlyList<(string Method, string Path)> Requests => [.. _log.Select(e => (e.Method, e.Path))];

    /// <summary>
    /// Every request the server received with the start of its body as text (its first <see cref="LoggedBodyChars"/>
    /// characters: enough to tell Composite calls apart; the files a call carries are not held a second time), in order.
    /// </summary>
    public IReadOnlyList<(string Method, string Path, string Body)> RequestsWithBodies => [.. _log];

    /// <summary>Starts the server on a free loopback port (tests, demo).</summary>
    public static SandboxServer Start(SandboxOrg org) => StartAsync(org, port: 0, pubSubPort: 0, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Starts the server on loopback ports (REST, and the Pub/Sub API); 0 picks a free one.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOrg org, int port, int pubSubPort, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(org);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Listen(IPAddress.Loopback, pubSubPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null; // Bulk API uploads are up to 100 MB; the sandbox takes what it gets
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(org);
        var app = builder.Build();
        var log = new ConcurrentQueue<(string Method, string Path, string Body)>();
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                await next(context); // a stream: its body never ends, and the request log is the REST API's
                return;
            }

            context.Request.EnableBuffering();
            var start = new char[LoggedBodyChars];
            int read;
            using (var reader = new StreamReader(context.Request.Body, leaveOpen: true))
            {
                read = await reader.ReadBlockAsync(start.AsMemory(), context.RequestAborted);
            }

            log.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", new string(start, 0, read)));
            context.Request.Body.Position = 0;
            await next(context);
        });
        app.MapGrpcService<PubSub.SandboxPubSubService>();
        SandboxEndpoints.Map(app, org);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a.EndsWith('/') ? a : a + "/")).ToList();
        var url = addresses[0];
        org.InstanceUrl = url;
        return new SandboxServer(app, org, url, addresses[1], log);
    }

    /// <summary>Completes when the server is asked to stop (Ctrl+C or SIGTERM for <c>connector sandbox</c>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
