using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Connector.Mapping.Profile;

/// <summary>
/// Checks a mapping file's shape with the streaming parser before it is loaded as a tree (whose loader recurses and
/// would overflow the stack on deeply nested input): one document, nesting no deeper than a mapping file needs, no
/// tags, anchors or aliases, no NUL bytes. The first problem is reported as file:line:column.
/// </summary>
internal static class YamlShape
{
    /// <summary>Deeper than any mapping file (the profile is five levels deep); far below what could exhaust the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>Larger than any mapping file could sensibly be.</summary>
    public const int MaxLength = 1024 * 1024;

    public static string? Problem(string yaml, string origin)
    {
        if (yaml.Length > MaxLength)
        {
            return $"{origin}: the file is {yaml.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; a mapping file is at most {MaxLength.ToString("N0", CultureInfo.InvariantCulture)}.";
        }

        if (yaml.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            var line = yaml.AsSpan(0, nul).Count('\n') + 1;
            var column = nul - (yaml.LastIndexOf('\n', Math.Max(nul - 1, 0)) + 1) + 1;
            return $"{origin}:{line.ToString(CultureInfo.InvariantCulture)}:{column.ToString(CultureInfo.InvariantCulture)}: the file holds a NUL byte; a mapping file is text.";
        }

        ParsingEvent? last = null;
        try
        {
            var parser = new Parser(new StringReader(yaml));
            var depth = 0;
            var documents = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current;
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        return At(origin, current, "a second YAML document ('---'); a mapping file holds one.");
                    case NodeEvent { Tag.IsEmpty: false } node when !node.Tag.IsNonSpecific:
                        return At(origin, current, $"the tag '{node.Tag.Value}' is not allowed; write plain values.");
                    case AnchorAlias:
                        return At(origin, current, "aliases (*name) are not allowed; write the value out.");
                    case NodeEvent { Anchor.IsEmpty: false }:
                        return At(origin, current, "anchors (&name) are not allowed; write the value out.");
                    case SequenceStart or MappingStart when ++depth > MaxDepth:
                        return At(origin, current, $"nesting deeper than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels; a mapping file needs five.");
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            return $"{origin}:{ex.Start.Line.ToString(CultureInfo.InvariantCulture)}:{ex.Start.Column.ToString(CultureInfo.InvariantCulture)}: not valid YAML: {OneLine(ex.InnerException?.Message ?? ex.Message)}";
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up this way on some broken input (an unclosed '{' followed by another key).
            var mark = last?.End ?? Mark.Empty;
            return $"{origin}:{mark.Line.ToString(CultureInfo.InvariantCulture)}:{mark.Column.ToString(CultureInfo.InvariantCulture)}: not valid YAML after this point (is a '{{' or '[' left unclosed?).";
        }

        return null;
    }

    private static string At(string origin, ParsingEvent at, string problem) =>
        $"{origin}:{at.Start.Line.ToString(CultureInfo.InvariantCulture)}:{at.Start.Column.ToString(CultureInfo.InvariantCulture)}: {problem}";

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
