using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox.Data;

/// <summary>
/// The org's records, per object, and a SOQL evaluator over them. Not thread-safe on its own: <see cref="SandboxOrg"/>
/// serialises access.
/// </summary>
internal sealed class SandboxData(SandboxSchema schema, TimeProvider timeProvider)
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

    /// <summary>Runs a query and returns the projected records (with attributes and nested relationship objects).</summary>
    /// <summary>Runs a query; deleted records (in the Recycle Bin) only with <paramref name="includeDeleted"/> (queryAll).</summary>
    public List<JsonObject> Query(SoqlQuery query, bool includeDeleted = false)
    {
        var obj = schema.Find(query.From) ?? throw new SoqlException("INVALID_TYPE",
            $"sObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.");
        foreach (var field in query.Fields.Where(f => f != SoqlQuery.Count).Concat(query.OrderBy.Select(o => o.Field)).Concat(FieldsOf(query.Where)))
        {
            _ = Resolve(obj, field);
        }

        var semiJoins = new Dictionary<Condition.InSubquery, HashSet<string>>();
        IEnumerable<JsonObject> rows = Table(obj.Name).Values
            .Where(r => (includeDeleted || !IsDeleted(r)) && (query.Where is null || Matches(obj, r, query.Where, semiJoins))).ToList();
        IOrderedEnumerable<JsonObject>? ordered = null;
        foreach (var term in query.OrderBy)
        {
            Func<JsonObject, IComparable?> key = r => Comparable(Value(obj, r, term.Field));
            ordered = ordered is null
                ? (term.Descending ? rows.OrderByDescending(key, NullsFirst.Instance) : rows.OrderBy(key, NullsFirst.Instance))
                : (term.Descending ? ordered.ThenByDescending(key, NullsFirst.Instance) : ordered.ThenBy(key, NullsFirst.Instance));
        }

        rows = ordered ?? rows.OrderBy(r => r["Id"]!.GetValue<string>(), StringComparer.Ordinal);
        if (query.Limit is { } limit)
        {
            rows = rows.Take(limit);
        }

        return query.IsCount ? [.. rows] : [.. rows.Select(r => Project(obj, r, query.Fields))];
    }

    private static IEnumerable<string> FieldsOf(Condition? condition) => condition switch
    {
        null => [],
        Condition.And and => FieldsOf(and.Left).Concat(FieldsOf(and.Right)),
        Condition.Or or => FieldsOf(or.Left).Concat(FieldsOf(or.Right)),
        Condition.Not not => FieldsOf(not.Inner),
        Condition.Compare compare => [compare.Field],
        Condition.In list => [list.Field],
        Condition.InSubquery semi => [semi.Field],
        _ => [],
    };

    private JsonObject Project(ObjectSchema obj, JsonObject record, IReadOnlyList<string> fields)
    {
        var result = new JsonObject { ["attributes"] = Attributes(obj, record) };
        foreach (var path in fields)
        {
            var (relationshipPath, leaf) = Resolve(obj, path);
            JsonObject target = result;
            var current = record;
            var currentObj = obj;
            var isNull = false;
            foreach (var relationship in relationshipPath)
            {
                var related = current[relationship.IdField]?.GetValue<string>() is { } id ? Find(relationship.TargetObject, id) : null;
                var targetObj = schema.Find(relationship.TargetObject)!;
                if (related is null)
                {
                    target[relationship.Name] ??= null;
                    isNull = true;
                    break;
                }

                if (target[relationship.Name] is not JsonObject nested)
                {
                    nested = new JsonObject { ["attributes"] = Attributes(targetObj, related) };
                    target[relationship.Name] = nested;
                }

                target = nested;
                current = related;
                currentObj = targetObj;
            }

            if (!isNull)
            {
                target[leaf] = current[leaf]?.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject Attributes(ObjectSchema obj, JsonObject record) => new()
    {
        ["type"] = obj.Name,
        ["url"] = $"/services/data/v62.0/sobjects/{obj.Name}/{record["Id"]!.GetValue<string>()}",
    };

    /// <summary>Splits a path into its relationships and the leaf field's exact name; INVALID_FIELD when any part does not exist.</summary>
    private (List<Relationship> Relationships, string Leaf) Resolve(ObjectSchema obj, string path)
    {
        var parts = path.Split('.');
        var relationships = new List<Relationship>();
        var current = obj;
        foreach (var part in parts[..^1])
        {
            var relationship = current.FindRelationship(part) ?? throw InvalidField(current, path, part);
            relationships.Add(relationship);
            current = schema.Find(relationship.TargetObject)!;
        }

        return (relationships, current.FieldName(parts[^1]) ?? throw InvalidField(current, path, parts[^1]));
    }

    private static SoqlException InvalidField(ObjectSchema obj, string path, string part) =>
        new("INVALID_FIELD", $"No such column '{part}' on entity '{obj.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. (in '{path}')");

    private JsonNode? Value(ObjectSchema obj, JsonObject record, string path)
    {
        var (relationships, leaf) = Resolve(obj, path);
        var current = record;
        foreach (var relationship in relationships)
        {
            current = current[relationship.IdField]?.GetValue<string>() is { } id ? Find(relationship.TargetObject, id) : null;
            if (current is null)
            {
                return null;
            }
        }

        return current[leaf];
    }

    private bool Matches(ObjectSchema obj, JsonObject record, Condition condition, Dictionary<Condition.InSubquery, HashSet<string>> semiJoins) => condition switch
    {
        Condition.And and => Matches(obj, record, and.Left, semiJoins) && Matches(obj, record, and.Right, semiJoins),
        Condition.Or or => Matches(obj, record, or.Left, semiJoins) || Matches(obj, record, or.Right, semiJoins),
        Condition.Not not => !Matches(obj, record, not.Inner, semiJoins),
        Condition.In list => list.Values.Any(v => Compare(Value(obj, record, list.Field), v) == 0) != list.Negated,
        Condition.InSubquery semi => SemiJoin(semi, semiJoins).Contains(Value(obj, record, semi.Field) is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "") != semi.Negated,
        Condition.Compare { Value: DateLiteral relative } compare => Within(Value(obj, record, compare.Field), relative, compare.Operator),
        Condition.Compare { Operator: "LIKE", Value: string pattern } compare => Value(obj, record, compare.Field) is JsonValue text
            && text.GetValueKind() == JsonValueKind.String && Like(pattern).IsMatch(text.GetValue<string>()),
        Condition.Compare compare => Evaluate(Compare(Value(obj, record, compare.Field), compare.Value), compare.Operator, compare.Value is null),
        _ => false,
    };

    /// <summary>A LIKE pattern as a regular expression: % any run, _ one character, \% and \_ themselves; case-insensitive.</summary>
    private static System.Text.RegularExpressions.Regex Like(string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            regex.Append(pattern[i] switch
            {
                '\\' when i + 1 < pattern.Length => System.Text.RegularExpressions.Regex.Escape(pattern[++i].ToString()),
                '%' => ".*",
                '_' => ".",
                var c => System.Text.RegularExpressions.Regex.Escape(c.ToString()),
            });
        }

        return new System.Text.RegularExpressions.Regex(regex.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Singleline);
    }

    /// <summary>A date or datetime (its UTC day) against a relative date literal's range of days.</summary>
    private bool Within(JsonNode? value, DateLiteral literal, string op)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            return op == "!=";
        }

        var text = v.GetValue<string>();
        var day = text.Length > 10
            ? DateOnly.FromDateTime(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime)
            : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (first, last) = literal.Range(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime));
        return op switch
        {
            "=" => day >= first && day <= last,
            "!=" => day < first || day > last,
            "<" => day < first,
            "<=" => day <= last,
            ">" => day > last,
            _ => day >= first, // >=
        };
    }

    /// <summary>The values a semi-join's subquery selects (evaluated once per query).</summary>
    private HashSet<string> SemiJoin(Condition.InSubquery semi, Dictionary<Condition.InSubquery, HashSet<string>> cache)
    {
        if (!cache.TryGetValue(semi, out var values))
        {
            var field = semi.Subquery.Fields[0];
            values = Query(semi.Subquery).Select(r => Leaf(r, field)).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            cache[semi] = values;
        }

        return values;
    }

    private static string? Leaf(JsonObject projected, string path)
    {
        JsonNode? node = projected;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o.FirstOrDefault(p => p.Key.Equals(part, StringComparison.OrdinalIgnoreCase)).Value : null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
    }

    private static bool Evaluate(int? comparison, string op, bool literalIsNull) => op switch
    {
        "=" => comparison == 0,
        "!=" => comparison != 0,
        _ when literalIsNull || comparison is null => false,
        "<" => comparison < 0,
        "<=" => comparison <= 0,
        ">" => comparison > 0,
        ">=" => comparison >= 0,
        _ => false,
    };

    /// <summary>Compares a record value with a literal; null means "not comparable" (one side null and not both).</summary>
    private static int? Compare(JsonNode? value, object? literal)
    {
        if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
        {
            return literal is null ? 0 : null;
        }

        if (literal is null)
        {
            return null;
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return literal switch
        {
            string s => string.Compare(text, s, StringComparison.OrdinalIgnoreCase),
            decimal d => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture).CompareTo(d),
            bool b => bool.Parse(text).CompareTo(b),
            DateTimeOffset t => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).CompareTo(t),
            DateOnly d => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).CompareTo(d),
            _ => null,
        };
    }

    private static IComparable? Comparable(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.GetValue<decimal>(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

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

    private sealed class NullsFirst : IComparer<IComparable?>
    {
        public static readonly NullsFirst Instance = new();

        public int Compare(IComparable? x, IComparable? y) =>
            x is null ? (y is null ? 0 : -1) : y is null ? 1 : x is string sx && y is string sy ? string.CompareOrdinal(sx, sy) : x.CompareTo(y);
    }
}
