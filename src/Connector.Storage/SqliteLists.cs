using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;

namespace Connector.Storage;

/// <summary>
/// A list parameter on SQLite as one JSON text instead of one parameter per item. Dapper expands <c>IN @Ids</c> into
/// <c>IN (@Ids1, @Ids2, …)</c>, and SQLite finds each named parameter by a linear search of the statement's names, so
/// binding a list of 500 costs 500 × 500 name comparisons (with a managed string and its UTF-8 copy per try); it was a
/// fifth of an invoice run. Here <c>IN @Ids</c> reads <c>IN (SELECT value FROM json_each(@Ids))</c> and the list is
/// bound once, as a JSON array: the same values with the same types (strings as TEXT, integers as INTEGER), so the
/// same rows match, and an empty list matches none, as Dapper's expansion does. Only lists of strings and integers,
/// named in an <c>IN @Name</c> of the statement, are rewritten; anything else goes to Dapper as it was.
/// </summary>
internal static class SqliteLists
{
    private static readonly ConcurrentDictionary<Type, bool> HasLists = new();
    private static readonly ConcurrentDictionary<(Type Type, string Sql), Plan?> Plans = new();

    /// <summary>The statement and parameters to run on SQLite: rewritten when <paramref name="parameters"/> has a list that <paramref name="sql"/> reads with <c>IN</c>.</summary>
    public static (string Sql, object? Parameters) Rewrite(string sql, object? parameters)
    {
        // Most parameter types hold no list: they are known by type alone, without keeping their statements.
        if (parameters is null or SqlMapper.IDynamicParameters
            || !HasLists.GetOrAdd(parameters.GetType(), type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => IsListOfKeys(p.PropertyType)))
            || Plans.GetOrAdd((parameters.GetType(), sql), Planned) is not { } plan)
        {
            return (sql, parameters);
        }

        var rewritten = new DynamicParameters();
        for (var i = 0; i < plan.Properties.Length; i++)
        {
            var value = plan.Properties[i].GetValue(parameters);
            rewritten.Add(plan.Properties[i].Name, plan.AsJson[i] ? Json((IEnumerable?)value) : value);
        }

        return (plan.Sql, rewritten);
    }

    /// <summary>How a statement's parameters of this type are rewritten; null when none of its lists of strings or integers is read with <c>IN</c>.</summary>
    private static Plan? Planned((Type Type, string Sql) key)
    {
        var properties = key.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var asJson = properties.Select(p => IsListOfKeys(p.PropertyType) && InList(p.Name).IsMatch(key.Sql)).ToArray();
        if (!asJson.Contains(true))
        {
            return null;
        }

        var sql = properties.Where((_, i) => asJson[i]).Aggregate(key.Sql, (text, p) =>
            InList(p.Name).Replace(text, m => $"IN (SELECT value FROM json_each({m.Groups[1].Value}))"));
        return new Plan(sql, properties, asJson);
    }

    private static bool IsListOfKeys(Type type) =>
        type != typeof(string) && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            && i.GetGenericArguments()[0] is var item && (item == typeof(string) || item == typeof(long) || item == typeof(int)));

    private static Regex InList(string name) => new(@"\bIN (@" + Regex.Escape(name) + @")(?!\w)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static string Json(IEnumerable? items)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items ?? Array.Empty<object>())
            {
                switch (item)
                {
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    case int number:
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed record Plan(string Sql, PropertyInfo[] Properties, bool[] AsJson);
}
