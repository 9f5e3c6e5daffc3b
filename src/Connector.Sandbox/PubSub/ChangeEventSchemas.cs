using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using Connector.Sandbox.Data;

namespace Connector.Sandbox.PubSub;

/// <summary>
/// The Avro schema of each object's change event, built as Salesforce builds them: a record named
/// <c>&lt;Object&gt;ChangeEvent</c> (custom objects: <c>&lt;Name&gt;__ChangeEvent</c>) whose field 0 is the
/// ChangeEventHeader and whose other fields are the object's fields as optional unions, and payloads encoded with it
/// (values only for the changed fields; the changed fields also as the header's bitmap).
/// </summary>
internal sealed class ChangeEventSchemas
{
    private static readonly DateOnly UnixEpoch = new(1970, 1, 1);
    private static readonly string[] NotCarried = ["Id", "IsDeleted", "SystemModstamp"];
    private readonly Dictionary<string, Entry> _byEntity = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SandboxSchema _objects;

    public ChangeEventSchemas(SandboxSchema objects) => _objects = objects;

    /// <summary>The change event's name for an object: <c>OrderChangeEvent</c>, <c>Connector_Invoice__ChangeEvent</c>.</summary>
    public static string EventName(string entity) =>
        entity.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? entity[..^1] + "ChangeEvent" : entity + "ChangeEvent";

    public string? Json(string schemaId)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(schemaId)?.Json;
        }
    }

    public string SchemaIdOf(string entity) => For(entity).Id;

    /// <summary>The event's Avro payload and its schema id.</summary>
    public (string SchemaId, byte[] Payload) Encode(StoredChange stored)
    {
        var entry = For(stored.Change.Entity);
        var change = stored.Change;
        var header = new GenericRecord(entry.Header);
        header.Add("entityName", _objects.Find(change.Entity)?.Name ?? change.Entity);
        header.Add("recordIds", change.RecordIds.Cast<object>().ToArray());
        header.Add("changeType", new GenericEnum((EnumSchema)entry.Header["changeType"].Schema, change.ChangeType));
        header.Add("changeOrigin", change.Origin);
        header.Add("transactionKey", stored.TransactionKey);
        header.Add("sequenceNumber", 1);
        header.Add("commitTimestamp", stored.CommittedAt.ToUnixTimeMilliseconds());
        header.Add("commitNumber", stored.ReplayId);
        header.Add("commitUser", "005SB0000000001AAA");
        header.Add("nulledFields", change.NulledFields.Cast<object>().ToArray());
        header.Add("diffFields", Array.Empty<object>());

        var record = new GenericRecord(entry.Event);
        record.Add("ChangeEventHeader", header);
        var bits = BigInteger.Zero;
        foreach (var field in entry.Event.Fields.Skip(1))
        {
            var value = change.Values.FirstOrDefault(p => p.Key.Equals(field.Name, StringComparison.OrdinalIgnoreCase));
            var changed = value.Key is not null || change.NulledFields.Contains(field.Name, StringComparer.OrdinalIgnoreCase);
            record.Add(field.Name, value.Key is null ? null : AvroValue(field.Schema, value.Value));
            if (changed)
            {
                bits |= BigInteger.One << field.Pos;
            }
        }

        header.Add("changedFields", bits.IsZero ? Array.Empty<object>() : new object[] { "0x" + bits.ToString("X", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(2, '0') });
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(entry.Event).Write(record, new BinaryEncoder(stream));
        return (entry.Id, stream.ToArray());
    }

    private Entry For(string entity)
    {
        lock (_gate)
        {
            if (_byEntity.TryGetValue(entity, out var known))
            {
                return known;
            }

            var obj = _objects.Find(entity) ?? throw new KeyNotFoundException(entity);
            var json = Build(obj);
            var id = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..22].Replace('+', '-').Replace('/', '_');
            var schema = (RecordSchema)Schema.Parse(json);
            var entry = new Entry(id, json, schema, (RecordSchema)schema["ChangeEventHeader"].Schema);
            _byEntity[entity] = entry;
            _byId[id] = entry;
            return entry;
        }
    }

    private static string Build(ObjectSchema obj)
    {
        var strings = new JsonObject { ["type"] = "array", ["items"] = "string" };
        var header = new JsonObject
        {
            ["type"] = "record",
            ["name"] = "ChangeEventHeader",
            ["fields"] = new JsonArray(
                Field("entityName", "string"),
                Field("recordIds", strings.DeepClone()),
                Field("changeType", new JsonObject
                {
                    ["type"] = "enum", ["name"] = "ChangeType",
                    ["symbols"] = new JsonArray("CREATE", "DELETE", "UNDELETE", "UPDATE", "GAP_CREATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_UPDATE", "GAP_OVERFLOW", "SNAPSHOT"),
                }),
                Field("changeOrigin", "string"),
                Field("transactionKey", "string"),
                Field("sequenceNumber", "int"),
                Field("commitTimestamp", "long"),
                Field("commitNumber", "long"),
                Field("commitUser", "string"),
                Field("nulledFields", strings.DeepClone()),
                Field("diffFields", strings.DeepClone()),
                Field("changedFields", strings.DeepClone())),
        };
        var fields = new JsonArray(Field("ChangeEventHeader", header));
        foreach (var field in obj.Fields.Where(f => !NotCarried.Contains(f.Name, StringComparer.OrdinalIgnoreCase) && f.Type != "base64"))
        {
            var carried = Field(field.Name, new JsonArray("null", AvroType(field.Type)));
            carried["default"] = null;
            fields.Add(carried);
        }

        return new JsonObject
        {
            ["type"] = "record", ["name"] = EventName(obj.Name), ["namespace"] = "com.sforce.eventbus", ["fields"] = fields,
        }.ToJsonString();
    }

    private static JsonObject Field(string name, JsonNode type) => new() { ["name"] = name, ["type"] = type };

    private static string AvroType(string describeType) => describeType switch
    {
        "boolean" => "boolean",
        "currency" or "double" or "percent" => "double",
        "int" => "int",
        "date" => "int",
        "datetime" => "long",
        _ => "string",
    };

    /// <summary>A JSON value as the Avro branch wants it: dates as days since 1970, date-times as epoch milliseconds.</summary>
    private static object? AvroValue(Schema schema, JsonNode? value)
    {
        if (value is null || value.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        var branch = schema is UnionSchema union ? union.Schemas.First(s => s.Tag != Schema.Type.Null) : schema;
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return branch.Tag switch
        {
            Schema.Type.Boolean => value.GetValueKind() == JsonValueKind.True || (value.GetValueKind() == JsonValueKind.String && bool.TryParse(text, out var b) && b),
            Schema.Type.Double => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            Schema.Type.Int when text.Length >= 10 && text[4] == '-' => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - UnixEpoch.DayNumber,
            Schema.Type.Int => (int)decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            Schema.Type.Long => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds(),
            _ => text,
        };
    }

    private sealed record Entry(string Id, string Json, RecordSchema Event, RecordSchema Header);
}
