using System.Globalization;
using Connector.Invoicing.Money;
using YamlDotNet.RepresentationModel;

namespace Connector.Mapping.Profile;

internal static partial class MappingProfileLoader
{
    private static void CheckValueMapTargets(YamlCursor y, ValueMap map, InputDefinition input)
    {
        foreach (var (from, to) in map.Entries)
        {
            var ok = input.Name == "paymentTerm"
                ? (int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 365) || (to.Contains('%', StringComparison.Ordinal) && Invoicing.Terms.PaymentTerms.TryParse(to) is not null)
                : input.AllowedValues is null || input.AllowedValues.Contains(to, StringComparer.Ordinal);
            if (!ok)
            {
                var allowed = input.Name == "paymentTerm"
                    ? "a number of days from 0 to 365, or an installment plan such as \"30%/15d, 70%/45d\" (percents adding up to 100)"
                    : $"one of {string.Join(", ", input.AllowedValues!)}";
                y.Problem(map.EntryLocations[from], $"valueMaps.{map.Name}.{from}", $"'{to}' is not {allowed}{(input.AllowedValues is null ? "" : Suggestions.For(to, input.AllowedValues))}.");
            }
        }
    }

    private static Dictionary<string, ValueMap> ReadValueMaps(YamlCursor y, YamlNode? node)
    {
        var maps = new Dictionary<string, ValueMap>(StringComparer.Ordinal);
        foreach (var (key, value) in node is null ? [] : y.Entries(node, "valueMaps"))
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
            foreach (var (from, to) in y.Entries(value, $"valueMaps.{key.Value}"))
            {
                if (y.Text(to, $"valueMaps.{key.Value}.{from.Value}", required: true, parent: from) is { } target)
                {
                    entries[from.Value ?? ""] = target;
                    locations[from.Value ?? ""] = y.At(to);
                }
            }

            maps[key.Value ?? ""] = new ValueMap(key.Value ?? "", entries, locations, y.At(key));
        }

        return maps;
    }

    private static ProfileDefaults ReadDefaults(YamlCursor y, YamlNode? node)
    {
        var mapping = node is null ? null : y.Mapping(node, "defaults", DefaultKeys);
        var currency = y.Text(YamlCursor.Child(mapping, "currency"), "defaults.currency") ?? "EUR";
        if (!Currency.IsKnown(currency))
        {
            y.Problem(YamlCursor.Child(mapping, "currency")!, "defaults.currency", $"'{currency}' is not a supported ISO 4217 code.");
        }

        var days = y.Integer(YamlCursor.Child(mapping, "paymentTermDays"), "defaults.paymentTermDays") ?? 30;
        if (days is < 0 or > 365)
        {
            y.Problem(YamlCursor.Child(mapping, "paymentTermDays")!, "defaults.paymentTermDays", $"{days.ToString(CultureInfo.InvariantCulture)} is out of range; use 0 to 365.");
        }

        var rate = y.Decimal(YamlCursor.Child(mapping, "taxRatePercent"), "defaults.taxRatePercent") ?? 0m;
        CheckRate(y, YamlCursor.Child(mapping, "taxRatePercent"), "defaults.taxRatePercent", rate);
        return new ProfileDefaults(currency, days, rate);
    }

    private static TaxRateTable ReadTaxRates(YamlCursor y, YamlNode? node)
    {
        if (node is null)
        {
            return TaxRateTable.Empty;
        }

        if (node is not YamlSequenceNode list)
        {
            y.Problem(node, "taxRates", "must be a list of rules such as '- { country: ES, rate: 21 }'.");
            return TaxRateTable.Empty;
        }

        var rules = new List<TaxRule>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"taxRates[{i.ToString(CultureInfo.InvariantCulture)}]";
            var rule = y.Mapping(list.Children[i], path, TaxRuleKeys);
            var country = y.Text(YamlCursor.Child(rule, "country"), path + ".country", required: true, parent: list.Children[i]);
            var rate = y.Decimal(YamlCursor.Child(rule, "rate"), path + ".rate");
            if (rule is not null && rate is null && YamlCursor.Child(rule, "rate") is null)
            {
                y.Problem(list.Children[i], path + ".rate", "is required.");
            }

            CheckRate(y, YamlCursor.Child(rule, "rate"), path + ".rate", rate ?? 0m);
            if (country is not null && rate is not null)
            {
                var family = y.Text(YamlCursor.Child(rule, "productFamily"), path + ".productFamily");
                var business = y.Boolean(YamlCursor.Child(rule, "businessOnly"), path + ".businessOnly") ?? false;
                var reason = y.Text(YamlCursor.Child(rule, "exemptReason"), path + ".exemptReason");
                if (rules.Any(r => string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase) && string.Equals(r.ProductFamily, family, StringComparison.OrdinalIgnoreCase)
                    && r.BusinessOnly == business))
                {
                    y.Problem(list.Children[i], path, $"a rule for {country}{(family is null ? "" : " / " + family)}{(business ? " (business)" : "")} is already given above.");
                }

                if (reason is not null && rate.Value != 0m)
                {
                    y.Problem(list.Children[i], path + ".exemptReason", $"is only for a rate of 0 (this rule's is {rate.Value.ToString(CultureInfo.InvariantCulture)}).");
                }

                rules.Add(new TaxRule(country, family, rate.Value, y.At(list.Children[i])) { BusinessOnly = business, ExemptReason = reason });
            }
        }

        return new TaxRateTable(rules);
    }

    private static Dictionary<string, WriteBackTarget> ReadWriteBack(YamlCursor y, YamlNode? node, YamlNode root)
    {
        var targets = new Dictionary<string, WriteBackTarget>(StringComparer.Ordinal);
        if (node is null)
        {
            y.Problem(root, "writeBack", $"is required, with {string.Join(" and ", Catalog.Facts.Keys)}.");
            return targets;
        }

        var mapping = y.Mapping(node, "writeBack", [.. Catalog.Facts.Keys]);
        foreach (var (name, facts) in Catalog.Facts)
        {
            var path = $"writeBack.{name}";
            if (YamlCursor.Child(mapping, name) is not { } targetNode)
            {
                if (!Catalog.OptionalTargets.Contains(name))
                {
                    y.Problem(node, path, "is required.");
                }

                continue;
            }

            var target = y.Mapping(targetNode, path, TargetKeys);
            var objectName = y.Text(YamlCursor.Child(target, "object"), path + ".object", required: true, parent: targetNode) ?? "";
            CheckName(y, YamlCursor.Child(target, "object") ?? targetNode, path + ".object", objectName, allowDots: false);
            var externalId = y.Text(YamlCursor.Child(target, "externalIdField"), path + ".externalIdField");
            if (externalId is not null)
            {
                CheckName(y, YamlCursor.Child(target, "externalIdField")!, path + ".externalIdField", externalId, allowDots: false);
            }
            else if (name == "invoice")
            {
                y.Problem(targetNode, path + ".externalIdField", "is required: upserts by an external id are what make a retry never create a duplicate.");
            }

            var fields = new Dictionary<string, WriteSpec>(StringComparer.Ordinal);
            foreach (var (fieldKey, value) in YamlCursor.Child(target, "fields") is { } fieldsNode ? y.Entries(fieldsNode, path + ".fields") : [])
            {
                var field = fieldKey.Value ?? "";
                var fieldPath = $"{path}.fields.{field}";
                CheckName(y, fieldKey, fieldPath, field, allowDots: false);
                string? fact;
                string? via = null;
                var mode = WriteMode.Always;
                if (value is YamlScalarNode)
                {
                    fact = y.Text(value, fieldPath);
                }
                else
                {
                    var spec = y.Mapping(value, fieldPath, WriteKeys);
                    fact = y.Text(YamlCursor.Child(spec, "fact"), fieldPath + ".fact", required: true, parent: value);
                    var modeText = y.Text(YamlCursor.Child(spec, "mode"), fieldPath + ".mode");
                    via = y.Text(YamlCursor.Child(spec, "via"), fieldPath + ".via");
                    if (via is not null && !field.EndsWith("__c", StringComparison.Ordinal))
                    {
                        y.Problem(YamlCursor.Child(spec, "via")!, fieldPath + ".via", "only a custom lookup field (ending in __c) can be set through its parent's external id.");
                    }
                    if (modeText is not null && !Enum.TryParse(modeText, ignoreCase: true, out mode))
                    {
                        y.Problem(YamlCursor.Child(spec, "mode")!, fieldPath + ".mode", $"'{modeText}' is not allowed; use always or once.");
                    }
                }

                if (fact is not null && !facts.Contains(fact))
                {
                    y.Problem(value, fieldPath, $"'{fact}' is not a billing fact of {name}{Suggestions.For(fact, facts)}; known: {string.Join(", ", facts.Order(StringComparer.Ordinal))}.");
                }
                else if (fact is not null)
                {
                    fields[field] = new WriteSpec(field, fact, mode, y.At(value)) { Via = via };
                }
            }

            targets[name] = new WriteBackTarget(name, objectName, externalId, fields, y.At(targetNode));
        }

        return targets;
    }
}
