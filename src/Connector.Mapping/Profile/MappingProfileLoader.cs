using System.Globalization;
using Connector.Invoicing.Money;
using Connector.Invoicing.Outbox;
using Connector.Invoicing.Schedules;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Connector.Mapping.Profile;

/// <summary>Reads a mapping file (or the shipped default) and validates all of it, reporting every problem at once.</summary>
public static class MappingProfileLoader
{
    public const string DefaultProfileName = "cpq-default.yaml";

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static MappingProfile Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return LoadDefault();
        }

        if (!File.Exists(path))
        {
            throw new MappingProfileException(path, [$"Connector:Mapping:Path = '{path}': no such file."]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static MappingProfile LoadDefault()
    {
        using var stream = typeof(MappingProfileLoader).Assembly.GetManifestResourceStream("Connector.Mapping.Profiles." + DefaultProfileName)
            ?? throw new InvalidOperationException("The shipped mapping profile is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "shipped default (" + DefaultProfileName + ")");
    }

    public static MappingProfile Parse(string yaml, string origin)
    {
        MappingProfile? profile;
        try
        {
            profile = Yaml.Deserialize<MappingProfile>(yaml);
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            throw new MappingProfileException(origin, [$"{origin}:{ex.Start.Line}:{ex.Start.Column}: {message}"]);
        }

        if (profile is null)
        {
            throw new MappingProfileException(origin, [$"{origin}: the file is empty."]);
        }

        profile.Origin = origin;
        var problems = Validate(profile);
        return problems.Count == 0 ? profile : throw new MappingProfileException(origin, problems);
    }

    public static IReadOnlyList<string> Validate(MappingProfile profile)
    {
        var problems = new List<string>();
        if (profile.Version != 1)
        {
            problems.Add($"version = {profile.Version.ToString(CultureInfo.InvariantCulture)}: only version 1 is supported.");
        }

        foreach (var name in profile.Sources.Keys.Where(k => !SourceNames.Inputs.ContainsKey(k)))
        {
            problems.Add($"sources.{name}: unknown source{Suggest(name, SourceNames.Inputs.Keys)}; known: {string.Join(", ", SourceNames.Inputs.Keys)}.");
        }

        foreach (var (sourceName, inputs) in SourceNames.Inputs)
        {
            if (!profile.Sources.TryGetValue(sourceName, out var source))
            {
                problems.Add($"sources.{sourceName}: missing.");
                continue;
            }

            if (!IsName(source.Object))
            {
                problems.Add($"sources.{sourceName}.object = '{source.Object}': must be an object API name such as Order.");
            }

            foreach (var (input, path) in source.Fields)
            {
                if (!inputs.Contains(input))
                {
                    problems.Add($"sources.{sourceName}.fields.{input}: unknown billing input{Suggest(input, inputs)}.");
                }

                if (!IsName(path))
                {
                    problems.Add($"sources.{sourceName}.fields.{input} = '{path}': must be a field path such as Account.BillingCountry.");
                }
            }

            foreach (var required in SourceNames.RequiredInputs[sourceName].Where(r => !source.Fields.ContainsKey(r)))
            {
                problems.Add($"sources.{sourceName}.fields.{required}: required, but not mapped.");
            }
        }

        CheckValueMap(profile, "chargeType", Enum.GetNames<ChargeType>(), problems);
        CheckValueMap(profile, "billingFrequency", Enum.GetNames<BillingFrequency>(), problems);
        CheckValueMap(profile, "billingType", Enum.GetNames<BillingTiming>(), problems);
        if (profile.ValueMaps.TryGetValue("paymentTerm", out var terms))
        {
            foreach (var (from, to) in terms.Where(t => !int.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                problems.Add($"valueMaps.paymentTerm.{from} = '{to}': must be a number of days.");
            }
        }

        if (!Currency.IsKnown(profile.Defaults.Currency))
        {
            problems.Add($"defaults.currency = '{profile.Defaults.Currency}': not a supported ISO 4217 code.");
        }

        if (profile.Defaults.PaymentTermDays is < 0 or > 365)
        {
            problems.Add($"defaults.paymentTermDays = {profile.Defaults.PaymentTermDays.ToString(CultureInfo.InvariantCulture)}: use 0 to 365.");
        }

        foreach (var (country, rate) in profile.TaxRates.ByCountry.Append(new("defaults", profile.Defaults.TaxRatePercent)).Where(r => r.Value is < 0 or > 100))
        {
            problems.Add($"tax rate for {country} = {rate.ToString(CultureInfo.InvariantCulture)}: use a percentage from 0 to 100.");
        }

        CheckTarget("writeBack.invoice", profile.WriteBack.Invoice, FactNames<InvoiceFacts>(), requireExternalId: true, problems);
        CheckTarget("writeBack.order", profile.WriteBack.Order, FactNames<OrderFacts>(), requireExternalId: false, problems);
        if (!IsName(profile.WriteBack.File.ContentKeyField))
        {
            problems.Add($"writeBack.file.contentKeyField = '{profile.WriteBack.File.ContentKeyField}': must be a ContentVersion field API name.");
        }

        return problems;
    }

    private static void CheckValueMap(MappingProfile profile, string name, string[] allowed, List<string> problems)
    {
        if (!profile.ValueMaps.TryGetValue(name, out var map))
        {
            problems.Add($"valueMaps.{name}: missing; it must map the org's picklist values to {string.Join(", ", allowed)}.");
            return;
        }

        foreach (var (from, to) in map.Where(m => !allowed.Contains(m.Value, StringComparer.Ordinal)))
        {
            problems.Add($"valueMaps.{name}.{from} = '{to}': not one of {string.Join(", ", allowed)}{Suggest(to, allowed)}.");
        }
    }

    private static void CheckTarget(string path, WriteBackTarget target, IReadOnlySet<string> facts, bool requireExternalId, List<string> problems)
    {
        if (!IsName(target.Object))
        {
            problems.Add($"{path}.object = '{target.Object}': must be an object API name.");
        }

        if (requireExternalId && !IsName(target.ExternalIdField ?? ""))
        {
            problems.Add($"{path}.externalIdField: required; upserts need an external-id field so a retry never creates a duplicate.");
        }

        foreach (var (field, fact) in target.Fields)
        {
            if (!IsName(field) || field.Contains('.', StringComparison.Ordinal))
            {
                problems.Add($"{path}.fields.{field}: must be a field API name on {target.Object}.");
            }

            if (!facts.Contains(fact))
            {
                problems.Add($"{path}.fields.{field} = '{fact}': unknown billing fact{Suggest(fact, facts)}; known: {string.Join(", ", facts)}.");
            }
        }
    }

    internal static IReadOnlySet<string> FactNames<T>() =>
        typeof(T).GetProperties().Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToHashSet(StringComparer.Ordinal);

    private static bool IsName(string value) =>
        value.Length > 0 && char.IsAsciiLetter(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.') && !value.EndsWith('.');

    private static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(given.ToUpperInvariant(), k.ToUpperInvariant()))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best.k}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
