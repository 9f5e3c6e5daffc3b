using System.Text.RegularExpressions;

namespace Connector.Storage;

/// <summary>What differs between the dialects beyond the statements written for each.</summary>
internal static partial class SqlDialect
{
    /// <summary>
    /// PostgreSQL shares SQLite's upsert syntax (<c>ON CONFLICT … DO UPDATE</c>, <c>RETURNING</c>, <c>LIMIT</c>), so a
    /// catalog's PostgreSQL statements are its SQLite ones with the few that differ written anew, and one rewrite:
    /// Dapper passes a list to Npgsql as one array parameter instead of expanding it, so <c>IN @Ids</c> becomes
    /// <c>= ANY(@Ids)</c>. <paramref name="statements"/> must be a fresh copy (<c>Sqlite with { … }</c>): it is rewritten in place.
    /// </summary>
    public static T ForPostgres<T>(T statements)
        where T : class
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite))
        {
            property.SetValue(statements, ListParameter().Replace((string)property.GetValue(statements)!, "= ANY($1)"));
        }

        return statements;
    }

    /// <summary>A catalog's statements for <paramref name="provider"/>.</summary>
    public static T Pick<T>(StorageProvider provider, T sqlite, T sqlServer, T postgres) => provider switch
    {
        StorageProvider.SqlServer => sqlServer,
        StorageProvider.Postgres => postgres,
        _ => sqlite,
    };

    [GeneratedRegex(@"\bIN (@\w+)")]
    private static partial Regex ListParameter();
}
