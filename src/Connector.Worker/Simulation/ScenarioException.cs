namespace Connector.Worker.Simulation;

/// <summary>
/// A scenario file the simulator cannot run: each problem names the JSON path and what is allowed there
/// (<c>$.events[3].amount: "12,50" is not a decimal; write it as a JSON string such as "12.50"</c>).
/// </summary>
internal sealed class ScenarioException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public ScenarioException(string path, string problem)
        : this([$"{path}: {problem}"])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
