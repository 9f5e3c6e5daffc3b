namespace Connector.Mapping.Profile;

/// <summary>Where something is written in a mapping file: file (or "shipped default"), line and column, 1-based.</summary>
internal sealed record SourceLocation(string Origin, int Line, int Column)
{
    public override string ToString() => $"{Origin}:{Line}:{Column}";
}
