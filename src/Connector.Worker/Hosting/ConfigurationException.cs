namespace Connector.Worker.Hosting;

/// <summary>The settings cannot be used; each problem is one line naming the key, the value and what is allowed. Exit code 2.</summary>
internal sealed class ConfigurationException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
