using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Storage;

/// <summary>Checks Connector:Storage at start; each failure is one line naming the key and what is allowed (never the connection string, which may hold a password).</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Connector:Storage:ConnectionString is empty: use e.g. 'Data Source=connector.db' for SQLite, or a SQL Server or PostgreSQL connection string.");
        }

        if (options.CommandTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add($"Connector:Storage:CommandTimeoutSeconds = '{options.CommandTimeoutSeconds}' is not allowed: use 1 to 3600.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
