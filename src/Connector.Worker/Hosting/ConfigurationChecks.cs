using Connector.Storage;
using System.Globalization;
using System.Reflection;
using Connector.Invoicing.Runs;
using Connector.Mapping;
using Connector.Salesforce;
using Connector.Sync.Cycles;
using Connector.Sync.Ingest;
using Connector.Sync.WriteBack;
using Microsoft.Extensions.Configuration;

namespace Connector.Worker.Hosting;

/// <summary>
/// Checks every raw setting against the type of the options property it binds to, before the binder sees it (the
/// binder would stop the process with a stack trace): enums, booleans, numbers and durations. Each refusal is one
/// line naming the key, the value and what is allowed. The keys come from the options classes themselves (each
/// declares its <c>SectionName</c>), so there is no second list to drift; ranges and relations between settings
/// stay with each options class's validator.
/// </summary>
internal static class ConfigurationChecks
{
    /// <summary>Every options class bound from configuration.</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (StorageOptions.SectionName, typeof(StorageOptions)),
        (BillingOptions.SectionName, typeof(BillingOptions)),
        (SalesforceOptions.SectionName, typeof(SalesforceOptions)),
        (SyncOptions.SectionName, typeof(SyncOptions)),
        (IngestOptions.SectionName, typeof(IngestOptions)),
        (WriteBackOptions.SectionName, typeof(WriteBackOptions)),
        (MappingOptions.SectionName, typeof(MappingOptions)),
        (HealthOptions.SectionName, typeof(HealthOptions)),
        (Connector.Sync.ChangeEvents.ChangeEventOptions.SectionName, typeof(Connector.Sync.ChangeEvents.ChangeEventOptions)),
    ];

    /// <summary>
    /// Settings an earlier version read and this one does not, with what replaced them: refused at start, so a value an
    /// operator set is never silently ignored after an upgrade.
    /// </summary>
    private static readonly (string Key, string Instead)[] Retired =
    [
        ("Connector:Salesforce:FilesPerCompositeCall", "Connector:Salesforce:FilesPerCall (1 to 200 files a call, through sObject Collections)"),
        ("Connector:Salesforce:MaxCompositeBytes", "Connector:Salesforce:MaxFileCallBytes (at most 37500000 bytes of base64 a call)"),
    ];

    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (key, instead) in Retired)
        {
            if (configuration[key] is { } value)
            {
                problems.Add($"{key} = '{value}' is not allowed: the setting was renamed; use {instead}.");
            }
        }

        foreach (var (section, type) in Sections)
        {
            CheckSection(configuration.GetSection(section), type, problems);
        }

        return problems;
    }

    /// <summary>Every setting's key (<c>Connector:Section:Name</c>) with the type it binds to.</summary>
    public static IEnumerable<(string Key, Type Type)> Keys() =>
        Sections.SelectMany(s => Leaves(s.Section, s.Options));

    private static IEnumerable<(string Key, Type Type)> Leaves(string path, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).SelectMany(p =>
        {
            var propertyType = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            return IsCollection(propertyType) ? []
                : propertyType.IsClass && propertyType != typeof(string)
                ? Leaves($"{path}:{p.Name}", propertyType)
                : [($"{path}:{p.Name}", propertyType)];
        });

    private static void CheckSection(IConfigurationSection section, Type type, List<string> problems)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsCollection(propertyType))
            {
                continue; // a list's items are checked by its options' own validator
            }

            if (propertyType.IsClass && propertyType != typeof(string))
            {
                CheckSection(child, propertyType, problems); // nested options, e.g. Billing:Seller
            }
            else if (child.Value is { } value && Refusal(propertyType, value.Trim()) is { } allowed)
            {
                problems.Add($"{child.Path} = '{value}' is not allowed: use {allowed}.");
            }
        }
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    /// <summary>What the value should look like, or null when it converts (as the binder would, invariant culture).</summary>
    private static string? Refusal(Type type, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            return names.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : string.Join(" or ", names);
        }

        return type switch
        {
            _ when type == typeof(bool) => bool.TryParse(value, out _) ? null : "true or false",
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "a whole number",
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "a whole number",
            _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? null : "a number such as 0.5",
            _ when type == typeof(decimal) => decimal.TryParse(value, NumberStyles.Number, invariant, out _) ? null : "a number such as 0.5",
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(value, invariant, out var t) && t >= TimeSpan.Zero ? null : "a duration of zero or more such as 00:00:30 (hh:mm:ss, or d.hh:mm:ss)",
            _ => null,
        };
    }
}
