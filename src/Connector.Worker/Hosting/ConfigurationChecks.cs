using Microsoft.Extensions.Configuration;

namespace Connector.Worker.Hosting;

/// <summary>
/// Checks the raw values of settings whose type the binder would otherwise reject with a stack trace (enums,
/// booleans, time spans), so a bad value stops the process with one line naming the key, the value and what is allowed.
/// </summary>
internal static class ConfigurationChecks
{
    private static readonly (string Key, string[] Allowed)[] Choices =
    [
        ("Connector:Storage:Provider", ["Sqlite", "SqlServer", "Postgres"]),
        ("Connector:Salesforce:AuthFlow", ["JwtBearer", "ClientCredentials"]),
        ("Connector:Salesforce:AllowInsecureHttp", ["true", "false"]),
    ];

    private static readonly string[] TimeSpans =
    [
        "Connector:Salesforce:RetryBaseDelay", "Connector:Salesforce:AttemptTimeout", "Connector:Salesforce:TotalRequestTimeout",
        "Connector:Sync:WatermarkOverlap", "Connector:Sync:WriteBackRetryDelay", "Connector:Sync:PollInterval",
        "Connector:Sync:LeaseDuration", "Connector:Sync:WriteBackIdleDelay", "Connector:Sync:CycleHistory", "Connector:Salesforce:ApiLimitCooldown",
        "Connector:Salesforce:BulkPollInterval", "Connector:Salesforce:CircuitBreakDuration",
        "Connector:Salesforce:BulkJobTimeout", "Connector:Sync:DeletedCheckInterval",
    ];

    private static readonly string[] Integers =
    [
        "Connector:Salesforce:MaxRetryAttempts", "Connector:Storage:CommandTimeoutSeconds", "Connector:Sync:WriteBackBatchSize",
        "Connector:Sync:MaxWriteBackAttempts", "Connector:Salesforce:BulkQueryThreshold", "Connector:Salesforce:BulkWriteThreshold",
        "Connector:Salesforce:BulkPageSize", "Connector:Salesforce:FilesPerCompositeCall", "Connector:Salesforce:CollectionsPerCompositeCall",
        "Connector:Salesforce:MaxCompositeBytes",
    ];

    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (key, allowed) in Choices)
        {
            if (configuration[key] is { } value && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{key} = '{value}' is not allowed: use {string.Join(" or ", allowed)}.");
            }
        }

        foreach (var key in TimeSpans)
        {
            if (configuration[key] is { } value && !TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"{key} = '{value}' is not allowed: use a duration such as 00:00:30.");
            }
        }

        foreach (var key in Integers)
        {
            if (configuration[key] is { } value && !int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                problems.Add($"{key} = '{value}' is not allowed: use a whole number.");
            }
        }

        return problems;
    }
}
