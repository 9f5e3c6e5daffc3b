namespace Connector.EndToEnd.Tests;

/// <summary>Sets process environment variables for one test (as a pod spec would) and restores them afterwards.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    /// <summary>The configuration contract's keys pointing at the sandbox, as <c>Connector__…</c> variables.</summary>
    public static EnvironmentScope ForSandbox(SandboxHarness sandbox, IDictionary<string, string?>? extra = null)
    {
        var scope = new EnvironmentScope();
        foreach (var (key, value) in sandbox.Settings(extra))
        {
            scope.Set(key.Replace(":", "__", StringComparison.Ordinal), value);
        }

        return scope;
    }

    public void Set(string name, string? value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
