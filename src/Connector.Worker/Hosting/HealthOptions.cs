namespace Connector.Worker.Hosting;

/// <summary>Where <c>connector run</c> serves /healthz, /readyz and /metrics. Bound from <c>Connector:Health</c>.</summary>
internal sealed class HealthOptions
{
    public const string SectionName = "Connector:Health";

    /// <summary>Default 8080.</summary>
    public int Port { get; set; } = 8080;
}
