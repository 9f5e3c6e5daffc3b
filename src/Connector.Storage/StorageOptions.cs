namespace Connector.Storage;

/// <summary>Where the connector keeps its state. Bound from <c>Connector:Storage</c>.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "Connector:Storage";

    /// <summary><c>Sqlite</c> (default, embedded), <c>SqlServer</c> or <c>Postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Default <c>Data Source=connector.db</c> (a SQLite file in the working directory).</summary>
    public string ConnectionString { get; set; } = "Data Source=connector.db";

    /// <summary>Seconds a single statement may run. Default 30.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;
}
