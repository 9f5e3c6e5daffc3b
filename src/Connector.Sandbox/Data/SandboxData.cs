using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox.Data;

/// <summary>
/// The org's records, per object: inserts, updates and deletions (each published as a change event), and a SOQL
/// evaluator over them (<c>SandboxData.Query.cs</c>). Not thread-safe on its own: <see cref="SandboxOrg"/>
/// serialises access.
/// </summary>
internal sealed partial class SandboxData(SandboxSchema schema, TimeProvider timeProvider)
{
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _records = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId = 1;

    public SandboxSchema Schema => schema;

    /// <summary>Told of every change, as the org's change data capture sees it.</summary>
    public Action<PubSub.RecordChange>? Changed { get; set; }

    /// <summary>The changeOrigin of the changes being made now (set by the org around an API call; empty for a user's or the seed's).</summary>
    public string Origin { get; set; } = "";

    private static readonly string[] SystemFieldNames = ["Id", "SystemModstamp", "IsDeleted"];

    private void Publish(string objectName, string id, string changeType, JsonObject? values = null)
    {
        if (Changed is not { } changed)
        {
            return;
        }

        var carried = new JsonObject();
        var nulled = new List<string>();
        foreach (var (name, value) in values ?? [])
        {
            if (SystemFieldNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (value is null || value.GetValueKind() == JsonValueKind.Null)
            {
                nulled.Add(name);
            }
            else
            {
                carried[name] = value.DeepClone();
            }
        }

        changed(new PubSub.RecordChange(schema.Find(objectName)?.Name ?? objectName, [id], changeType, carried, nulled, Origin));
    }

    public IReadOnlyList<JsonObject> All(string objectName) =>
        _records.TryGetValue(objectName, out var byId) ? [.. byId.Values.Select(r => (JsonObject)r.DeepClone())] : [];

    public JsonObject? Find(string objectName, string id) =>
        _records.TryGetValue(objectName, out var byId) && byId.TryGetValue(id, out var record) ? record : null;

    /// <summary>The first record whose <paramref name="field"/> equals <paramref name="value"/> (an external-id lookup), not copied.</summary>
    public JsonObject? FindBy(string objectName, string field, string value) =>
        _records.TryGetValue(objectName, out var byId)
            ? byId.Values.FirstOrDefault(r => !IsDeleted(r) && r[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == value)
            : null;

    /// <summary>Inserts a record (fields must exist); sets Id, SystemModstamp and CreatedDate unless given. Returns the Id.</summary>
    public string Insert(string objectName, JsonObject fields)
    {
        var obj = schema.Find(objectName) ?? throw new SoqlException("INVALID_TYPE", $"sObject type '{objectName}' is not supported.");
        var record = new JsonObject();
        foreach (var (name, value) in fields)
        {
            record[FieldOrThrow(obj, name)] = value?.DeepClone();
        }

        var id = record["Id"]?.GetValue<string>() ?? NewId(obj);
        record["Id"] = id;
        var now = Stamp(timeProvider.GetUtcNow());
        record["SystemModstamp"] ??= now;
        record["CreatedDate"] ??= record["SystemModstamp"]!.DeepClone();
        record["LastModifiedDate"] ??= record["SystemModstamp"]!.DeepClone();
        record["IsDeleted"] ??= false;
        Table(obj.Name)[id] = record;
        Publish(obj.Name, id, "CREATE", new JsonObject(record.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
        return id;
    }

    private readonly List<(string ObjectName, string Id, DateTimeOffset DeletedAt)> _deletions = [];

    private static bool IsDeleted(JsonObject record) => record["IsDeleted"]?.GetValue<bool>() == true;

    /// <summary>Deletes a record to the Recycle Bin: IsDeleted true and a new SystemModstamp; only queryAll still sees it.</summary>
    public void Delete(string objectName, string id)
    {
        var record = Find(objectName, id) ?? throw new KeyNotFoundException(id);
        var now = timeProvider.GetUtcNow();
        record["IsDeleted"] = true;
        record["SystemModstamp"] = Stamp(now);
        _deletions.Add((schema.Find(objectName)!.Name, id, now));
        Publish(objectName, id, "DELETE");
    }

    /// <summary>Restores a record from the Recycle Bin (a new SystemModstamp).</summary>
    public void Undelete(string objectName, string id)
    {
        var record = Find(objectName, id) ?? throw new KeyNotFoundException(id);
        record["IsDeleted"] = false;
        record["SystemModstamp"] = Stamp(timeProvider.GetUtcNow());
        _deletions.RemoveAll(d => d.Id == id);
        Publish(objectName, id, "UNDELETE");
    }

    /// <summary>Deletes a record for good (a hard delete, or the Recycle Bin emptied): no query sees it; getDeleted does.</summary>
    public void Purge(string objectName, string id)
    {
        var name = schema.Find(objectName)!.Name;
        var record = Find(name, id) ?? throw new KeyNotFoundException(id);
        if (!IsDeleted(record))
        {
            _deletions.Add((name, id, timeProvider.GetUtcNow()));
            Publish(name, id, "DELETE");
        }

        Table(name).Remove(id);
    }

    /// <summary>What getDeleted answers: the records of an object deleted within [start, end].</summary>
    public IReadOnlyList<(string Id, DateTimeOffset DeletedAt)> DeletedBetween(string objectName, DateTimeOffset start, DateTimeOffset end) =>
        [.. _deletions.Where(d => d.ObjectName.Equals(objectName, StringComparison.OrdinalIgnoreCase) && d.DeletedAt >= start && d.DeletedAt <= end).Select(d => (d.Id, d.DeletedAt))];

    /// <summary>Sets fields on an existing record and moves its SystemModstamp.</summary>
    public void Update(string objectName, string id, JsonObject fields)
    {
        var obj = schema.Find(objectName)!;
        var record = Find(obj.Name, id) ?? throw new KeyNotFoundException(id);
        foreach (var (name, value) in fields)
        {
            record[FieldOrThrow(obj, name)] = value?.DeepClone();
        }

        var now = Stamp(timeProvider.GetUtcNow());
        record["SystemModstamp"] = now;
        record["LastModifiedDate"] = now;
        var changed = new JsonObject(fields.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        changed["LastModifiedDate"] = now;
        Publish(obj.Name, id, "UPDATE", changed);
    }

    private static string FieldOrThrow(ObjectSchema obj, string name) =>
        obj.FieldName(name) ?? throw InvalidField(obj, name, name);

    private Dictionary<string, JsonObject> Table(string objectName)
    {
        if (!_records.TryGetValue(objectName, out var table))
        {
            table = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            _records[objectName] = table;
        }

        return table;
    }

    private string NewId(ObjectSchema obj) =>
        string.Create(CultureInfo.InvariantCulture, $"{obj.IdPrefix}5g000{_nextId++:0000000}AAA");

    internal static string Stamp(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}
