namespace Connector.Mapping.Profile;

/// <summary>Where billing facts go in the org: target field → fact name, per target.</summary>
public sealed class WriteBackMapping
{
    public WriteBackTarget Invoice { get; set; } = new();

    public WriteBackTarget Order { get; set; } = new();

    public FileTarget File { get; set; } = new();
}
