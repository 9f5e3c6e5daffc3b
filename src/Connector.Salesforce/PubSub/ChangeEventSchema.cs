using System.Globalization;
using System.Numerics;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Connector.Salesforce.PubSub;

/// <summary>
/// One version of a channel's Avro event schema (the Pub/Sub API names it by schema id): decodes payloads into
/// <see cref="ChangeEvent"/>s, the changed-fields bitmaps included, whose bit positions belong to this version.
/// </summary>
internal sealed class ChangeEventSchema
{
    private readonly RecordSchema _schema;
    private readonly GenericDatumReader<GenericRecord> _reader;

    public ChangeEventSchema(string schemaId, string schemaJson)
    {
        SchemaId = schemaId;
        _schema = Schema.Parse(schemaJson) as RecordSchema
            ?? throw new PubSubException(PubSubFailure.Malformed, $"Schema {schemaId} is not an Avro record schema.");
        if (_schema.Fields.Count == 0 || _schema.Fields[0].Name != "ChangeEventHeader")
        {
            throw new PubSubException(PubSubFailure.Malformed, $"Schema {schemaId} ({_schema.Name}) is not a change event schema: its first field is not ChangeEventHeader.");
        }

        _reader = new GenericDatumReader<GenericRecord>(_schema, _schema);
    }

    public string SchemaId { get; }

    public ChangeEvent Decode(ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> replayId)
    {
        GenericRecord record;
        try
        {
            using var stream = new MemoryStream(payload.ToArray(), writable: false);
            record = _reader.Read(reuse: null!, new BinaryDecoder(stream));
        }
        catch (Exception ex) when (ex is AvroException or EndOfStreamException or InvalidCastException or OverflowException)
        {
            throw new PubSubException(PubSubFailure.Malformed, $"An event of schema {SchemaId} could not be decoded: {ex.Message}");
        }

        var header = record["ChangeEventHeader"] as GenericRecord
            ?? throw new PubSubException(PubSubFailure.Malformed, $"An event of schema {SchemaId} has no ChangeEventHeader.");
        return new ChangeEvent(
            Text(header, "entityName"),
            Strings(header, "recordIds"),
            header.TryGetValue("changeType", out var type) && type is GenericEnum e ? e.Value : Convert.ToString(type, CultureInfo.InvariantCulture) ?? "",
            Text(header, "changeOrigin"),
            DateTimeOffset.FromUnixTimeMilliseconds(header.TryGetValue("commitTimestamp", out var ts) && ts is long ms ? ms : 0),
            Text(header, "transactionKey"),
            header.TryGetValue("sequenceNumber", out var seq) && seq is int n ? n : 0,
            FieldNames(Strings(header, "changedFields")),
            replayId);
    }

    /// <summary>
    /// The field names a bitmap list names: element <c>0x…</c> is a big-endian hex number whose bit i (from the least
    /// significant) is the schema's top-level field i; <c>p-0x…</c> does the same for the nested record at position p.
    /// </summary>
    public IReadOnlyList<string> FieldNames(IReadOnlyList<string> bitmaps)
    {
        var names = new List<string>();
        foreach (var bitmap in bitmaps)
        {
            var dash = bitmap.IndexOf('-', StringComparison.Ordinal);
            var fields = _schema.Fields;
            var prefix = "";
            if (dash > 0 && int.TryParse(bitmap.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var parent) && parent < fields.Count)
            {
                if (NestedRecord(fields[parent].Schema) is not { } nested)
                {
                    continue;
                }

                prefix = fields[parent].Name + ".";
                fields = nested.Fields;
            }

            var hex = (dash > 0 ? bitmap[(dash + 1)..] : bitmap).Trim();
            if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                || !BigInteger.TryParse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
            {
                continue;
            }

            for (var i = 0; i < fields.Count && !bits.IsZero; i++, bits >>= 1)
            {
                if (!(bits & BigInteger.One).IsZero)
                {
                    names.Add(prefix + fields[i].Name);
                }
            }
        }

        return names;
    }

    private static RecordSchema? NestedRecord(Schema schema) => schema switch
    {
        RecordSchema record => record,
        UnionSchema union => union.Schemas.OfType<RecordSchema>().FirstOrDefault(),
        _ => null,
    };

    private static string Text(GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) && value is string text ? text : "";

    private static List<string> Strings(GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) && value is System.Collections.IEnumerable items and not string
            ? [.. items.OfType<string>()]
            : [];
}
