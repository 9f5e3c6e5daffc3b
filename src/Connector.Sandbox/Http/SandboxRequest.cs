namespace Connector.Sandbox.Http;

/// <summary>A call the org received: its method and path (what a fault's filter and the request log see).</summary>
internal sealed record SandboxRequest(string Method, string Path);
