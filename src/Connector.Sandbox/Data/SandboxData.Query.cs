using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox.Data;

/// <summary>SOQL over the org's records: filters (with relationship paths, semi-joins, LIKE and date literals), ordering, projection.</summary>
internal sealed partial class SandboxData
{
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

    private sealed class NullsFirst : IComparer<IComparable?>
    {
        public static readonly NullsFirst Instance = new();

        public int Compare(IComparable? x, IComparable? y) =>
            x is null ? (y is null ? 0 : -1) : y is null ? 1 : x is string sx && y is string sy ? string.CompareOrdinal(sx, sy) : x.CompareTo(y);
    }
}
