namespace Connector.Invoicing.Storage;

/// <summary>The database engines the connector runs on.</summary>
public enum StorageProvider
{
    Sqlite,
    SqlServer,
}
