namespace Connector.Mapping.Profile;

/// <summary>A mapping file that cannot be used; <see cref="Problems"/> lists every problem found, each on its own line.</summary>
internal sealed class MappingProfileException(string origin, IReadOnlyList<string> problems)
    : Exception($"Mapping profile {origin} is not valid:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
