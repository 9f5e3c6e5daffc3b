namespace Connector.Sandbox.Http;

/// <summary>An HTTP request as the sandbox org sees it, independent of the server hosting it.</summary>
public sealed record SandboxRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
