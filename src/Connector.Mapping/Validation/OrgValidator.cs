using Connector.Mapping.Profile;

namespace Connector.Mapping.Validation;

/// <summary>
/// Checks a profile against the org's metadata: every object and field path exists and is visible to the integration
/// user (FLS), types fit the billing inputs and facts, value-map keys are real picklist values, write-back fields are
/// createable and updateable, the external-id field is one, and what is written to a restricted picklist is allowed.
/// Every problem is reported with the profile's file, line and column.
/// </summary>
internal static class OrgValidator
{
    private static readonly string[] NumberTypes = ["double", "currency", "percent", "int", "long"];
    private static readonly string[] TextTypes = ["string", "textarea", "picklist", "combobox", "email", "phone", "url", "id", "reference"];

    /// <summary>The values billing writes for facts that land in picklists, by "target.fact" (or by fact for every target).</summary>
    private static readonly Dictionary<string, string[]> FactValues = new(StringComparer.Ordinal)
    {
        ["invoice.status"] = ["Posted"],
        ["creditNote.status"] = ["Posted"],
        ["usageSummary.status"] = ["Billed"],
        ["usage.status"] = ["Billed", "Rejected"],
        ["paymentStatus"] = ["Unpaid", "PartiallyPaid", "Paid", "Overdue"],
    };

    /// <summary>What kind of value each fact is, read from the fact records' property types (ids by name).</summary>
    private static readonly Dictionary<string, string> FactKinds =
        new[] { typeof(WriteBack.InvoiceFacts), typeof(WriteBack.OrderFacts), typeof(WriteBack.AccountFacts), typeof(WriteBack.UsageSummaryFacts), typeof(WriteBack.UsageFacts), typeof(WriteBack.CreditNoteFacts) }
            .SelectMany(t => t.GetProperties())
            .Select(p => (Name: char.ToLowerInvariant(p.Name[0]) + p.Name[1..], Type: Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
            .Select(p => (p.Name, Kind: p.Name is "accountId" or "orderId" or "orderProductId" ? "id" : p.Type == typeof(decimal) ? "number" : p.Type == typeof(DateOnly) ? "date" : "text"))
            .DistinctBy(p => p.Name)
            .ToDictionary(p => p.Name, p => p.Kind, StringComparer.Ordinal);

    public static async Task<IReadOnlyList<string>> ValidateAsync(MappingProfile profile, IOrgSchema org, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var cache = new Dictionary<string, OrgObject?>(StringComparer.OrdinalIgnoreCase);

        async Task<OrgObject?> Describe(string name)
        {
            if (!cache.TryGetValue(name, out var described))
            {
                described = await org.DescribeAsync(name, cancellationToken);
                cache[name] = described;
            }

            return described;
        }

        foreach (var source in profile.Sources.Values)
        {
            var obj = await Describe(source.Object);
            if (obj is null)
            {
                problems.Add($"{source.Location}: sources.{source.Name}.object: '{source.Object}' does not exist in the org or is not visible to the integration user.");
                continue;
            }

            foreach (var spec in source.Fields.Values)
            {
                var input = Catalog.Sources[source.Name][spec.Input];
                foreach (var path in spec.Paths)
                {
                    var field = await ResolveAsync(obj, path, Describe, problems, $"{spec.Location}: sources.{source.Name}.fields.{spec.Input}");
                    if (field is not null)
                    {
                        CheckInputType(field, input, spec, path, source.Name, problems);
                        CheckValueMap(field, spec, profile.ValueMaps, problems);
                    }
                }
            }
        }

        foreach (var target in profile.WriteBack.Values)
        {
            var obj = await Describe(target.Object);
            if (obj is null)
            {
                problems.Add($"{target.Location}: writeBack.{target.Name}.object: '{target.Object}' does not exist in the org or is not visible; deploy deploy/salesforce and assign the permission set.");
                continue;
            }

            if (target.ExternalIdField is { } externalId)
            {
                var key = obj.Field(externalId);
                if (key is null)
                {
                    problems.Add($"{target.Location}: writeBack.{target.Name}.externalIdField: {target.Object}.{externalId} does not exist or is hidden from the integration user{Suggestions.For(externalId, obj.Fields.Select(f => f.Name))}.");
                }
                else if (!key.ExternalId)
                {
                    problems.Add($"{target.Location}: writeBack.{target.Name}.externalIdField: {target.Object}.{key.Name} is not marked External ID in the org; upserts need it.");
                }
            }

            foreach (var spec in target.Fields.Values)
            {
                var where = $"{spec.Location}: writeBack.{target.Name}.fields.{spec.Field}";
                var field = obj.Field(spec.Field);
                if (field is null)
                {
                    problems.Add($"{where}: {target.Object}.{spec.Field} does not exist or is hidden from the integration user{Suggestions.For(spec.Field, obj.Fields.Select(f => f.Name))}.");
                    continue;
                }

                var needsCreate = target.ExternalIdField is not null;
                if ((needsCreate && !field.Createable) || (spec.Mode == WriteMode.Always && !field.Updateable))
                {
                    problems.Add($"{where}: {target.Object}.{field.Name} is not {(needsCreate && !field.Createable ? "createable" : "updateable")} by the integration user (read-only, a formula, or field-level security).");
                }

                CheckFactType(field, spec, target.Name, where, problems);
            }
        }

        var content = await Describe("ContentVersion");
        if (content?.Field(profile.ContentKeyField) is not { Createable: true })
        {
            problems.Add($"{profile.Origin}: files.contentKeyField: ContentVersion.{profile.ContentKeyField} does not exist or is not createable; PDFs cannot be uploaded idempotently without it.");
        }

        if (profile.FileLinkField is { } linkField
            && await Describe(profile.InvoiceTarget.Object) is { } invoiceObject
            && invoiceObject.Field(linkField) is not { Updateable: true, Type: "url" or "string" or "textarea" })
        {
            problems.Add($"{profile.Origin}: files.linkField: {profile.InvoiceTarget.Object}.{linkField} does not exist, is not updateable, or is not a URL or text field; the invoice record cannot link its PDF.");
        }

        return problems;
    }

    private static async Task<OrgField?> ResolveAsync(OrgObject start, string path, Func<string, Task<OrgObject?>> describe, List<string> problems, string where)
    {
        var obj = start;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            var lookup = obj.Relationship(part);
            if (lookup is null || lookup.ReferenceTo.Count == 0)
            {
                problems.Add($"{where}: '{path}': {obj.Name} has no relationship '{part}'{Suggestions.For(part, obj.Fields.Where(f => f.RelationshipName is not null).Select(f => f.RelationshipName!))}.");
                return null;
            }

            var next = await describe(lookup.ReferenceTo[0]);
            if (next is null)
            {
                problems.Add($"{where}: '{path}': {lookup.ReferenceTo[0]} is not visible to the integration user.");
                return null;
            }

            obj = next;
        }

        var field = obj.Field(parts[^1]);
        if (field is null)
        {
            problems.Add($"{where}: '{path}': {obj.Name}.{parts[^1]} does not exist or is hidden from the integration user by field-level security{Suggestions.For(parts[^1], obj.Fields.Select(f => f.Name))}.");
        }

        return field;
    }

    private static void CheckInputType(OrgField field, InputDefinition input, FieldSpec spec, string path, string source, List<string> problems)
    {
        var where = $"{spec.Location}: sources.{source}.fields.{spec.Input}";
        var fits = input.Kind switch
        {
            InputKind.Number => NumberTypes.Contains(field.Type) || (spec.Format is not null && field.Type == "string"),
            InputKind.Date => field.Type == "date" || (spec.Format is not null && field.Type == "string"),
            InputKind.Id => field.Type is "id" or "reference" or "string",
            InputKind.Text or InputKind.Picklist => TextTypes.Contains(field.Type),
            InputKind.Flag => field.Type == "boolean" || TextTypes.Contains(field.Type),
            _ => true,
        };
        if (!fits)
        {
            problems.Add($"{where}: '{path}' is a {field.Type} field; {spec.Input} needs {Needs(input.Kind)}.");
        }
    }

    private static void CheckValueMap(OrgField field, FieldSpec spec, IReadOnlyDictionary<string, ValueMap> valueMaps, List<string> problems)
    {
        if (field.Type != "picklist" || spec.Map is null || !valueMaps.TryGetValue(spec.Map, out var map))
        {
            return;
        }

        foreach (var value in map.Entries.Keys.Where(v => !field.PicklistValues.Contains(v, StringComparer.Ordinal)))
        {
            problems.Add($"{map.EntryLocations[value]}: valueMaps.{map.Name}.{value}: '{value}' is not an active value of {field.Name}{Suggestions.For(value, field.PicklistValues)}; the org has {string.Join(", ", field.PicklistValues)}.");
        }
    }

    private static void CheckFactType(OrgField field, WriteSpec spec, string targetName, string where, List<string> problems)
    {
        if (spec.Via is not null)
        {
            if (field.Type != "reference")
            {
                problems.Add($"{where}: {field.Name} is a {field.Type} field; 'via' sets a lookup (a reference field) through its parent's external id.");
            }

            return;
        }

        var values = FactValues.GetValueOrDefault($"{targetName}.{spec.Fact}") ?? FactValues.GetValueOrDefault(spec.Fact);
        var kind = FactKinds.GetValueOrDefault(spec.Fact, "text");
        var fits = kind switch
        {
            "date" => field.Type is "date" or "string",
            "number" => NumberTypes.Contains(field.Type) || field.Type == "string",
            "id" => field.Type is "reference" or "string",
            _ => TextTypes.Contains(field.Type) && field.Type != "reference",
        };
        if (!fits)
        {
            problems.Add($"{where}: {field.Name} is a {field.Type} field; the fact {spec.Fact} is {(kind == "text" ? "text" : kind == "id" ? "a record id" : "a " + kind)}.");
            return;
        }

        if (field.RestrictedPicklist && values is null)
        {
            problems.Add($"{where}: {field.Name} is a restricted picklist; the fact {spec.Fact} is free text that no picklist can list.");
        }
        else if (field.RestrictedPicklist && values is not null)
        {
            var missing = values.Where(v => !field.PicklistValues.Contains(v, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{where}: {field.Name} is a restricted picklist without {string.Join(", ", missing.Select(v => $"'{v}'"))}, which billing writes; add the values or unrestrict it.");
            }
        }
    }

    private static string Needs(InputKind kind) => kind switch
    {
        InputKind.Number => "a number field (double, currency, percent, int), or a text field with a format",
        InputKind.Date => "a date field, or a text field with a format",
        InputKind.Id => "an id or lookup field",
        InputKind.Flag => "a checkbox, or a text field holding true or false",
        _ => "a text or picklist field",
    };
}
