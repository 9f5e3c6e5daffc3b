namespace Connector.Storage;

/// <summary>The database engines the connector runs on.</summary>
internal enum StorageProvider
{
    /// <summary>Embedded, one file: a single replica, development, small orgs.</summary>
    Sqlite,

    /// <summary>Microsoft SQL Server (2019 or later) or Azure SQL.</summary>
    SqlServer,

    /// <summary>PostgreSQL 13 or later.</summary>
    Postgres,
}
