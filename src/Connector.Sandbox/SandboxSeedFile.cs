using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox;

/// <summary>
/// An org's starting data from a JSON file: objects in the order they are inserted, each an array of records.
/// A record may name itself with <c>"@ref": "acme"</c>; a later field whose value is <c>"@acme"</c> gets that record's
/// Id (a lookup). Fields must exist on the object, as in the org.
/// <code>
/// { "Account": [ { "@ref": "acme", "Name": "Acme Iberia SL", "BillingCountry": "ES" } ],
///   "Order":   [ { "AccountId": "@acme", "Status": "Activated", "EffectiveDate": "2026-01-01" } ] }
/// </code>
/// </summary>
internal static class SandboxSeedFile
{
    /// <summary>Inserts every record of <paramref name="json"/>; returns how many. Throws <see cref="FormatException"/> naming the record at fault.</summary>
    public static int Load(SandboxData data, string json)
    {
        ArgumentNullException.ThrowIfNull(data);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a seed file is a JSON object of object names, each an array of records");
        }
        catch (JsonException ex)
        {
            // The parser's message quotes the offending text, line breaks and all: name the place instead, on one line.
            throw new FormatException($"not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})", ex);
        }

        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (objectName, records) in root)
        {
            if (records is not JsonArray array)
            {
                throw new FormatException($"$.{objectName} must be an array of records");
            }

            for (var i = 0; i < array.Count; i++)
            {
                var path = $"$.{objectName}[{i}]";
                if (array[i] is not JsonObject record)
                {
                    throw new FormatException($"{path} must be an object of field values");
                }

                var fields = new JsonObject();
                string? name = null;
                foreach (var (field, value) in record)
                {
                    if (field == "@ref")
                    {
                        name = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw new FormatException($"{path}.@ref must be a string");
                        continue;
                    }

                    fields[field] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is ['@', .. var target]
                        ? references.TryGetValue(target, out var id) ? id : throw new FormatException($"{path}.{field} names '@{target}', which no earlier record declares")
                        : value?.DeepClone();
                }

                try
                {
                    var id = data.Insert(objectName, fields);
                    if (name is not null)
                    {
                        references[name] = id;
                    }
                }
                catch (SoqlException ex)
                {
                    throw new FormatException($"{path}: {ex.Message}", ex);
                }

                count++;
            }
        }

        return count;
    }
}
