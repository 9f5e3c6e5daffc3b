namespace Connector.Storage;

/// <summary>
/// Marks a record of SQL statements (one string property per statement) with static <c>Sqlite</c>, <c>SqlServer</c> and
/// <c>Postgres</c> instances. Each stage keeps its catalog beside its store; tests find every catalog by this
/// attribute, parse each SQL Server statement with ScriptDom, run the SQLite ones and prepare the PostgreSQL ones.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class SqlCatalogAttribute : Attribute;
