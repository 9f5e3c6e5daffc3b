using Microsoft.Extensions.Options;

namespace Connector.Storage;

/// <summary>Checks Connector:Storage at start; each failure is one line naming the key and what is allowed (never the connection string, which may hold a password).</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Connector:Storage:ConnectionString is empty: use e.g. 'Data Source=connector.db' for SQLite, or a SQL Server or PostgreSQL connection string.");
        }
        else if (Unreadable(options) is { } reason)
        {
            failures.Add($"Connector:Storage:ConnectionString is not a {options.Provider} connection string ({reason}): use keyword=value pairs, e.g. {Example(options.Provider)}.");
        }
        else if (options.Provider == StorageProvider.Sqlite && SqliteFolderProblem(options.ConnectionString) is { } folder)
        {
            failures.Add(folder);
        }

        if (options.CommandTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add($"Connector:Storage:CommandTimeoutSeconds = '{options.CommandTimeoutSeconds}' is not allowed: use 1 to 3600.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Why the provider's own parser refuses the connection string (its message names a keyword, never a value), or null.</summary>
    private static string? Unreadable(StorageOptions options)
    {
        try
        {
            System.Data.Common.DbConnectionStringBuilder builder = options.Provider switch
            {
                StorageProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(options.ConnectionString),
                StorageProvider.Postgres => new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString),
                _ => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString),
            };
            return builder.Count == 0 ? "no keyword=value pair" : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    /// <summary>A SQLite file whose folder does not exist cannot be created: a setting to fix, not a database that is down.</summary>
    private static string? SqliteFolderProblem(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var path = builder.DataSource;
        if (builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || path.Length == 0 || path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder is null || Directory.Exists(folder)
            ? null
            : $"Connector:Storage:ConnectionString's Data Source = '{path}' is not allowed: the folder {folder} does not exist; create it or point at a file in an existing, writable folder.";
    }

    private static string Example(StorageProvider provider) => provider switch
    {
        StorageProvider.SqlServer => "'Server=db.example.com;Database=connector;User Id=connector;Password=…;Encrypt=true'",
        StorageProvider.Postgres => "'Host=db.example.com;Database=connector;Username=connector;Password=…'",
        _ => "'Data Source=/data/connector.db'",
    };
}
