using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Connector.Mapping.Profile;

/// <summary>
/// Reads a mapping file (or the shipped default) and validates all of it, reporting every problem at once, each with
/// file, line, column, the key's path and, where a name is close to a known one, a suggestion.
/// </summary>
internal static partial class MappingProfileLoader
{
    public const string DefaultProfileName = "cpq-default.yaml";

    private static readonly string[] TopKeys = ["version", "name", "sources", "defaults", "valueMaps", "taxRates", "writeBack", "files"];
    private static readonly string[] SourceKeys = ["object", "where", "fields"];
    private static readonly string[] FieldKeys = ["field", "coalesce", "constant", "default", "map", "format", "required"];
    private static readonly string[] DefaultKeys = ["currency", "paymentTermDays", "taxRatePercent"];
    private static readonly string[] TaxRuleKeys = ["country", "productFamily", "businessOnly", "rate", "exemptReason"];
    private static readonly string[] TargetKeys = ["object", "externalIdField", "fields"];
    private static readonly string[] WriteKeys = ["fact", "mode", "via"];
    private static readonly string[] FileKeys = ["contentKeyField", "linkField"];
    private static readonly string[] NumberFormats = ["invariant", "decimalComma"];

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

    public static MappingProfile LoadDefault() => Parse(ShippedProfile(DefaultProfileName), "shipped default (" + DefaultProfileName + ")");

    /// <summary>The text of a profile shipped in the assembly (<c>cpq-default.yaml</c>, <c>salesforce-billing.yaml</c>).</summary>
    public static string ShippedProfile(string fileName)
    {
        using var stream = typeof(MappingProfileLoader).Assembly.GetManifestResourceStream("Connector.Mapping.Profiles." + fileName)
            ?? throw new InvalidOperationException($"The shipped mapping profile {fileName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static MappingProfile Parse(string yaml, string origin)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (YamlShape.Problem(yaml, origin) is { } shape)
        {
            throw new MappingProfileException(origin, [shape]);
        }

        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        var parser = new YamlDotNet.Core.Parser(reader);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw new MappingProfileException(origin, [$"{origin}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.InnerException?.Message ?? ex.Message}"]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The tree loader meets an event it does not expect where the streaming parser did not complain.
            var at = parser.Current?.Start ?? YamlDotNet.Core.Mark.Empty;
            throw new MappingProfileException(origin, [$"{origin}:{at.Line}:{at.Column}: not valid YAML here (a {parser.Current?.GetType().Name ?? "value"} where none is expected)."]);
        }

        if (stream.Documents.Count == 0)
        {
            throw new MappingProfileException(origin, [$"{origin}: the file is empty."]);
        }

        var problems = new List<string>();
        var profile = Read(new YamlCursor(origin, problems), stream.Documents[0].RootNode);
        return problems.Count == 0 && profile is not null ? profile : throw new MappingProfileException(origin, problems);
    }

    private static MappingProfile? Read(YamlCursor y, YamlNode rootNode)
    {
        var root = y.Mapping(rootNode, "(file)", TopKeys);
        if (root is null)
        {
            return null;
        }

        var version = y.Integer(YamlCursor.Child(root, "version"), "version");
        if (version is null)
        {
            y.Problem(rootNode, "version", "is required; write 'version: 1'.");
        }
        else if (version != 1)
        {
            y.Problem(YamlCursor.Child(root, "version")!, "version", $"{version.Value.ToString(CultureInfo.InvariantCulture)} is not supported; only version 1 is.");
        }

        var valueMaps = ReadValueMaps(y, YamlCursor.Child(root, "valueMaps"));
        var sources = ReadSources(y, YamlCursor.Child(root, "sources"), rootNode, valueMaps);
        var defaults = ReadDefaults(y, YamlCursor.Child(root, "defaults"));
        var taxes = ReadTaxRates(y, YamlCursor.Child(root, "taxRates"));
        var writeBack = ReadWriteBack(y, YamlCursor.Child(root, "writeBack"), rootNode);
        var files = YamlCursor.Child(root, "files") is { } filesNode ? y.Mapping(filesNode, "files", FileKeys) : null;
        var contentKey = y.Text(YamlCursor.Child(files, "contentKeyField"), "files.contentKeyField") ?? "Connector_Content_Key__c";
        CheckName(y, YamlCursor.Child(files, "contentKeyField") ?? rootNode, "files.contentKeyField", contentKey, allowDots: false);

        var linkField = y.Text(YamlCursor.Child(files, "linkField"), "files.linkField");
        if (linkField is not null)
        {
            CheckName(y, YamlCursor.Child(files, "linkField")!, "files.linkField", linkField, allowDots: false);
        }

        return new MappingProfile(version ?? 0, y.Text(YamlCursor.Child(root, "name"), "name") ?? "", y.Origin, sources, defaults, valueMaps, taxes, writeBack, contentKey)
        {
            FileLinkField = linkField,
        };
    }

    private static Dictionary<string, SourceMapping> ReadSources(YamlCursor y, YamlNode? node, YamlNode root, IReadOnlyDictionary<string, ValueMap> valueMaps)
    {
        var sources = new Dictionary<string, SourceMapping>(StringComparer.Ordinal);
        if (node is null)
        {
            y.Problem(root, "sources", $"is required, with {string.Join(" and ", Catalog.RequiredSources)}.");
            return sources;
        }

        foreach (var (key, value) in y.Entries(node, "sources"))
        {
            var name = key.Value ?? "";
            if (!Catalog.Sources.TryGetValue(name, out var inputs))
            {
                y.Problem(key, $"sources.{name}", $"unknown source{Suggestions.For(name, Catalog.Sources.Keys)}; known: {string.Join(", ", Catalog.Sources.Keys)}.");
                continue;
            }

            var path = $"sources.{name}";
            var mapping = y.Mapping(value, path, SourceKeys);
            if (mapping is null)
            {
                continue;
            }

            var objectName = y.Text(YamlCursor.Child(mapping, "object"), path + ".object", required: true, parent: value) ?? "";
            CheckName(y, YamlCursor.Child(mapping, "object") ?? value, path + ".object", objectName, allowDots: false);
            var fields = new Dictionary<string, FieldSpec>(StringComparer.Ordinal);
            foreach (var (fieldKey, fieldValue) in YamlCursor.Child(mapping, "fields") is { } fieldsNode ? y.Entries(fieldsNode, path + ".fields") : [])
            {
                var input = fieldKey.Value ?? "";
                if (!inputs.TryGetValue(input, out var definition))
                {
                    y.Problem(fieldKey, $"{path}.fields.{input}", $"unknown billing input{Suggestions.For(input, inputs.Keys)}.");
                    continue;
                }

                if (ReadField(y, fieldValue, $"{path}.fields.{input}", definition, valueMaps) is { } spec)
                {
                    fields[input] = spec;
                }
            }

            foreach (var missing in inputs.Values.Where(i => i.Required && !fields.ContainsKey(i.Name)))
            {
                y.Problem(YamlCursor.Child(mapping, "fields") ?? value, $"{path}.fields.{missing.Name}", "required, but not mapped.");
            }

            sources[name] = new SourceMapping(name, objectName, y.Text(YamlCursor.Child(mapping, "where"), path + ".where"), fields, y.At(value));
        }

        foreach (var missing in Catalog.RequiredSources.Where(k => !sources.ContainsKey(k) && !y.Entries(node, "sources").Any(e => e.Key.Value == k)))
        {
            y.Problem(node, $"sources.{missing}", "is required.");
        }

        return sources;
    }

    private static FieldSpec? ReadField(YamlCursor y, YamlNode node, string path, InputDefinition input, IReadOnlyDictionary<string, ValueMap> valueMaps)
    {
        if (node is YamlScalarNode scalar)
        {
            var shorthand = scalar.Value ?? "";
            CheckName(y, node, path, shorthand, allowDots: true);
            return Complete(y, node, path, input, valueMaps, new FieldSpec(input.Name, [shorthand], null, null, null, null, input.Required, y.At(node)));
        }

        var mapping = y.Mapping(node, path, FieldKeys);
        if (mapping is null)
        {
            return null;
        }

        var paths = new List<string>();
        if (YamlCursor.Child(mapping, "field") is { } fieldNode && y.Text(fieldNode, path + ".field") is { } field)
        {
            CheckName(y, fieldNode, path + ".field", field, allowDots: true);
            paths.Add(field);
        }

        if (YamlCursor.Child(mapping, "coalesce") is { } coalesceNode)
        {
            if (coalesceNode is not YamlSequenceNode list || list.Children.Count < 2)
            {
                y.Problem(coalesceNode, path + ".coalesce", "must be a list of two or more field paths; the first non-empty one is used.");
            }
            else
            {
                foreach (var item in list.Children)
                {
                    if (y.Text(item, path + ".coalesce") is { } p)
                    {
                        CheckName(y, item, path + ".coalesce", p, allowDots: true);
                        paths.Add(p);
                    }
                }
            }
        }

        var constant = y.Text(YamlCursor.Child(mapping, "constant"), path + ".constant");
        var sourcesGiven = (YamlCursor.Child(mapping, "field") is null ? 0 : 1) + (YamlCursor.Child(mapping, "coalesce") is null ? 0 : 1) + (constant is null ? 0 : 1);
        if (sourcesGiven != 1)
        {
            y.Problem(node, path, "give exactly one of field, coalesce or constant.");
        }

        var spec = new FieldSpec(
            input.Name,
            paths,
            constant,
            y.Text(YamlCursor.Child(mapping, "default"), path + ".default"),
            y.Text(YamlCursor.Child(mapping, "map"), path + ".map"),
            y.Text(YamlCursor.Child(mapping, "format"), path + ".format"),
            y.Boolean(YamlCursor.Child(mapping, "required"), path + ".required") ?? input.Required,
            y.At(node));
        if (input.Required && !spec.Required)
        {
            y.Problem(YamlCursor.Child(mapping, "required")!, path + ".required", "billing cannot do without this input; it stays required.");
        }

        return Complete(y, node, path, input, valueMaps, spec);
    }

    /// <summary>Checks a field spec against its input's kind: value map, format, constant and default.</summary>
    private static FieldSpec Complete(YamlCursor y, YamlNode node, string path, InputDefinition input, IReadOnlyDictionary<string, ValueMap> valueMaps, FieldSpec spec)
    {
        if (input.Kind == InputKind.Picklist)
        {
            var mapName = spec.Map ?? input.Name;
            if (!valueMaps.TryGetValue(mapName, out var map))
            {
                y.Problem(node, path + ".map", $"value map '{mapName}' is not defined under valueMaps{Suggestions.For(mapName, valueMaps.Keys)}.");
            }
            else
            {
                CheckValueMapTargets(y, map, input);
            }

            spec = spec with { Map = mapName };
        }
        else if (spec.Map is not null)
        {
            y.Problem(node, path + ".map", $"only picklist inputs go through a value map; {input.Name} is {input.Kind.ToString().ToLowerInvariant()}.");
        }

        if (spec.Format is { } format)
        {
            var valid = input.Kind switch
            {
                InputKind.Date => IsDatePattern(format),
                InputKind.Number => NumberFormats.Contains(format, StringComparer.Ordinal),
                _ => false,
            };
            if (!valid)
            {
                y.Problem(node, path + ".format", input.Kind switch
                {
                    InputKind.Date => $"'{format}' is not a date pattern; use e.g. yyyy-MM-dd or dd/MM/yyyy.",
                    InputKind.Number => $"'{format}' is not a number format; use {string.Join(" or ", NumberFormats)}.",
                    _ => $"only date and number inputs take a format; {input.Name} is {input.Kind.ToString().ToLowerInvariant()}.",
                });
            }
        }

        foreach (var (what, value) in new[] { ("constant", spec.Constant), ("default", spec.Default) })
        {
            if (value is not null && !ValueParses(input.Kind, value))
            {
                y.Problem(node, $"{path}.{what}", $"'{value}' is not a valid {input.Kind.ToString().ToLowerInvariant()} (numbers with a dot, dates as yyyy-MM-dd).");
            }
        }

        return spec;
    }

    private static void CheckRate(YamlCursor y, YamlNode? node, string path, decimal rate)
    {
        if (node is not null && rate is < 0 or > 100)
        {
            y.Problem(node, path, $"{rate.ToString(CultureInfo.InvariantCulture)} is out of range; use a percentage from 0 to 100.");
        }
    }

    private static void CheckName(YamlCursor y, YamlNode node, string path, string name, bool allowDots)
    {
        var valid = name.Length > 0 && char.IsAsciiLetter(name[0]) && !name.EndsWith('.') && !name.Contains("..", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowDots && c == '.'));
        if (!valid)
        {
            y.Problem(node, path, allowDots
                ? $"'{name}' is not a field path; use an API name such as Quantity or a relationship path such as Account.BillingCountry."
                : $"'{name}' is not an API name such as Connector_Invoice__c.");
        }
        else if (name.Count(c => c == '.') > MaxRelationshipDepth)
        {
            y.Problem(node, path, $"'{name}' goes {name.Count(c => c == '.').ToString(CultureInfo.InvariantCulture)} relationships deep; SOQL follows at most {MaxRelationshipDepth.ToString(CultureInfo.InvariantCulture)} (e.g. Order.Account.Owner.Manager.Profile.Name).");
        }
    }

    /// <summary>SOQL's limit on child-to-parent relationship levels in one field path.</summary>
    private const int MaxRelationshipDepth = 5;

    private static bool IsDatePattern(string pattern)
    {
        if (!pattern.Contains("yy", StringComparison.Ordinal) || !pattern.Contains('M', StringComparison.Ordinal) || !pattern.Contains('d', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var sample = new DateOnly(2026, 11, 23);
            var text = sample.ToString(pattern, CultureInfo.InvariantCulture);
            return DateOnly.TryParseExact(text, pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) && back == sample;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool ValueParses(InputKind kind, string value) => kind switch
    {
        InputKind.Number => decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        InputKind.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        InputKind.Flag => bool.TryParse(value, out _),
        _ => true,
    };
}
