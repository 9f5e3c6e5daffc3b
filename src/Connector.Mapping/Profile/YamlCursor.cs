using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Connector.Mapping.Profile;

/// <summary>Reads typed values out of a YAML tree, recording a located problem (and returning null) for each bad node.</summary>
internal sealed class YamlCursor(string origin, List<string> problems)
{
    public string Origin => origin;

    public SourceLocation At(YamlNode node) => new(origin, (int)node.Start.Line, (int)node.Start.Column);

    public void Problem(YamlNode node, string path, string message) => Problem(At(node), path, message);

    public void Problem(SourceLocation location, string path, string message) => problems.Add($"{location}: {path}: {message}");

    public YamlMappingNode? Mapping(YamlNode node, string path, IReadOnlyCollection<string> allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            Problem(node, path, $"must be a mapping with keys {string.Join(", ", allowedKeys)}.");
            return null;
        }

        foreach (var key in mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => !allowedKeys.Contains(k.Value ?? "")))
        {
            Problem(key, $"{path}.{key.Value}", $"unknown key{Suggestions.For(key.Value ?? "", allowedKeys)}; allowed: {string.Join(", ", allowedKeys)}.");
        }

        return mapping;
    }

    /// <summary>A mapping whose keys are names the caller checks (sources, value maps, fields).</summary>
    public IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Problem(node, path, "must be a mapping.");
            return [];
        }

        return mapping.Children.Where(c => c.Key is YamlScalarNode).Select(c => ((YamlScalarNode)c.Key, c.Value));
    }

    public static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public string? Text(YamlNode? node, string path, bool required = false, YamlNode? parent = null)
    {
        if (node is null)
        {
            if (required && parent is not null)
            {
                Problem(parent, path, "is required.");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Problem(node, path, "must be a single value, not a list or mapping.");
            return null;
        }

        if (string.IsNullOrEmpty(scalar.Value) && required)
        {
            Problem(node, path, "is required.");
            return null;
        }

        return scalar.Value;
    }

    public int? Integer(YamlNode? node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Problem(node!, path, $"'{text}' is not a whole number.");
        return null;
    }

    public decimal? Decimal(YamlNode? node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Problem(node!, path, $"'{text}' is not a number (use a dot for decimals: 21.5).");
        return null;
    }

    public bool? Boolean(YamlNode? node, string path)
    {
        var text = Text(node, path);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(node!, path, $"'{text}' is not true or false.");
        return null;
    }
}
