using System.Text;
using Connector.Sandbox.Http;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace Connector.Sandbox;

/// <summary>Hosts a <see cref="SandboxOrg"/> on a loopback WireMock.Net server, in process.</summary>
public sealed class SandboxServer : IDisposable
{
    private readonly WireMockServer _server;

    private SandboxServer(WireMockServer server, SandboxOrg org)
    {
        _server = server;
        Org = org;
    }

    public SandboxOrg Org { get; }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:51234</c>: both the login URL and the instance URL.</summary>
    public Uri Url => new(_server.Url!);

    /// <summary>Every request the server received (method and path), in order.</summary>
    public IReadOnlyList<(string Method, string Path)> Requests =>
        [.. _server.LogEntries.Select(e => (e.RequestMessage.Method, e.RequestMessage.Path))];

    /// <summary>Every request the server received with its body as text (for telling Composite calls apart), in order.</summary>
    public IReadOnlyList<(string Method, string Path, string Body)> RequestsWithBodies =>
        [.. _server.LogEntries.Select(e => (e.RequestMessage.Method, e.RequestMessage.Path, e.RequestMessage.Body ?? ""))];

    public static SandboxServer Start(SandboxOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        var server = WireMockServer.Start(new WireMockServerSettings { StartAdminInterface = false });
        var sandbox = new SandboxServer(server, org);
        org.InstanceUrl = new Uri(server.Url!);
        server.Given(Request.Create().WithPath(new RegexMatcher(".*")).UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(request => Answer(org, request)));
        return sandbox;
    }

    public void Dispose() => _server.Dispose();

    private static ResponseMessage Answer(SandboxOrg org, IRequestMessage request)
    {
        var query = (request.Query ?? new Dictionary<string, WireMockList<string>>())
            .ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? "", StringComparer.Ordinal);
        var headers = (request.Headers ?? new Dictionary<string, WireMockList<string>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.BodyAsBytes ?? Encoding.UTF8.GetBytes(request.Body ?? "");
        if (org.Faults.ResponseDelay > TimeSpan.Zero && request.Path.StartsWith("/services/data/", StringComparison.Ordinal))
        {
            Thread.Sleep(org.Faults.ResponseDelay); // WireMock's callback is synchronous; this only slows the fake org
        }

        var sandboxRequest = new SandboxRequest(request.Method, request.Path, query, headers, body);
        var answer = org.Handle(sandboxRequest);
        if (request.Path.StartsWith("/services/data/", StringComparison.Ordinal) && org.Faults.TakeHang(sandboxRequest))
        {
            Thread.Sleep(org.Faults.HangFor); // the org did the work; its answer comes too late for the client
        }

        var response = new ResponseMessage
        {
            StatusCode = answer.StatusCode,
            BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = answer.Body, Encoding = Encoding.UTF8 },
        };
        if (!answer.Headers.ContainsKey("Content-Type"))
        {
            response.AddHeader("Content-Type", "application/json;charset=UTF-8");
        }

        foreach (var (name, value) in answer.Headers)
        {
            response.AddHeader(name, value);
        }

        return response;
    }
}
