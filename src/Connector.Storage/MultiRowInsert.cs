using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Connector.Storage;

/// <summary>
/// Writes many rows with one statement of the form <c>INSERT INTO t (…) VALUES (@A, @B, …) [ON CONFLICT …]</c> as
/// multi-row inserts on a server (<c>VALUES (…), (…), …</c>, as many rows a statement as the engine's parameter limit
/// allows, so a round trip carries hundreds of rows), and on SQLite as one prepared statement executed per row with its
/// parameters made once.
/// Each row is an object whose properties are named like the parameters (an anonymous object, as Dapper takes them);
/// the tuple may hold plain literals too. An upsert (ON CONFLICT … DO UPDATE) must not be given two rows of one key. A
/// statement of any other shape (RETURNING, OUTPUT, a SELECT, a MERGE) runs row by row through Dapper, as before.
/// </summary>
internal static partial class MultiRowInsert
{
    private static readonly ConcurrentDictionary<string, Shape?> Shapes = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<(Type Type, string Names), Action<object, object?[]>> Readers = new();

    /// <summary>Inserts <paramref name="rows"/>; returns how many rows the engine reports written.</summary>
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, StorageProvider provider, string statement,
        IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return 0;
        }

        if (Shapes.GetOrAdd(statement, Parse) is not { } shape)
        {
            return await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(statement, rows, transaction, cancellationToken: cancellationToken));
        }

        if (provider == StorageProvider.Sqlite)
        {
            return Reused(connection, transaction, statement, shape, rows, cancellationToken);
        }

        var perStatement = Math.Max(1, Math.Min(MaxRows(provider), MaxParameters(provider) / shape.Parameters.Length));
        var written = 0;
        string? fullSql = null;
        var reader = new RowReader(shape.Parameters);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            var sql = count == perStatement ? fullSql ??= shape.Sql(count) : shape.Sql(count);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var i = 0; i < count; i++)
            {
                var values = reader.Read(rows[start + i]);
                for (var p = 0; p < values.Length; p++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@" + shape.Parameters[p] + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    parameter.Value = values[p] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
            }

            written += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> with a statement that returns each new row's key (<c>RETURNING id</c>, <c>OUTPUT
    /// inserted.id</c>) and gives the keys in row order. On SQLite the statement is prepared once and executed per row
    /// (a fresh command per row parses it again each time); elsewhere each row runs through Dapper.
    /// </summary>
    public static async Task<IReadOnlyList<long>> InsertReturningKeysAsync(DbConnection connection, DbTransaction? transaction, StorageProvider provider, string statement,
        IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var keys = new List<long>(rows.Count);
        if (provider != StorageProvider.Sqlite)
        {
            foreach (var row in rows)
            {
                keys.Add(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(statement, row, transaction, cancellationToken: cancellationToken)));
            }

            return keys;
        }

        var names = StatementParameter().Matches(statement).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();
        using var sqlite = new SqliteRows(connection, transaction, statement, names);
        var reader = new RowReader(names);
        foreach (var row in rows)
        {
            // SQLite runs in process: its async methods complete synchronously, so each row skips the task they wrap.
            cancellationToken.ThrowIfCancellationRequested();
            keys.Add(sqlite.ExecuteScalar(reader.Read(row)) ?? throw new InvalidOperationException("The insert returned no key."));
        }

        return keys;
    }

    /// <summary>
    /// SQLite, in process, has no round trip to save, and binds a parameter by a linear search of the statement's names
    /// (a statement of thousands of parameters binds quadratically): one prepared single-row statement is executed for
    /// each row (<see cref="SqliteRows"/>).
    /// </summary>
    private static int Reused(DbConnection connection, DbTransaction? transaction, string statement, Shape shape, IReadOnlyList<object> rows,
        CancellationToken cancellationToken)
    {
        using var sqlite = new SqliteRows(connection, transaction, statement, shape.Parameters);
        var written = 0;
        var reader = new RowReader(shape.Parameters);
        foreach (var row in rows)
        {
            // SQLite runs in process: its async methods complete synchronously, so each row skips the task they wrap.
            cancellationToken.ThrowIfCancellationRequested();
            written += sqlite.Execute(reader.Read(row));
        }

        return written;
    }

    /// <summary>Host parameters one statement carries: within SQL Server's 2,100; on PostgreSQL (65,535) a size whose binding and parsing stay cheap.</summary>
    private static int MaxParameters(StorageProvider provider) => provider == StorageProvider.SqlServer ? 2_000 : 4_000;

    /// <summary>Rows per statement: SQL Server's table value constructor takes at most 1,000; more gains nothing elsewhere.</summary>
    private static int MaxRows(StorageProvider provider) => provider == StorageProvider.SqlServer ? 1_000 : 2_000;

    private static Shape? Parse(string statement)
    {
        var match = InsertShape().Match(statement);
        if (!match.Success || Refused().IsMatch(match.Groups["tail"].Value))
        {
            return null;
        }

        // Each value is a parameter or a plain literal ('Pending', 0, NULL); a parameter may appear twice.
        var values = match.Groups["values"].Value.Split(',').Select(p => p.Trim()).ToArray();
        return values.All(p => ParameterName().IsMatch(p) || Literal().IsMatch(p))
            ? new Shape(match.Groups["head"].Value, values, [.. values.Where(v => v.StartsWith('@')).Select(v => v[1..]).Distinct(StringComparer.Ordinal)], match.Groups["tail"].Value)
            : null;
    }

    /// <summary>An action copying the named properties of an object of <paramref name="type"/> into an array, compiled once per type.</summary>
    private static Action<object, object?[]> Reader(Type type, string[] names) =>
        Readers.GetOrAdd((type, string.Join(",", names)), key =>
        {
            var row = Expression.Parameter(typeof(object), "row");
            var values = Expression.Parameter(typeof(object?[]), "values");
            var typed = Expression.Variable(key.Type, "typed");
            var copies = names.Select((name, i) =>
            {
                var property = key.Type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                    ?? throw new InvalidOperationException($"A row of type {key.Type.Name} has no property {name} for the statement's @{name}.");
                return (Expression)Expression.Assign(Expression.ArrayAccess(values, Expression.Constant(i)), Expression.Convert(Expression.Property(typed, property), typeof(object)));
            });
            var body = Expression.Block([typed], [Expression.Assign(typed, Expression.Convert(row, key.Type)), .. copies]);
            return Expression.Lambda<Action<object, object?[]>>(body, row, values).Compile();
        });

    /// <summary>
    /// Reads rows' parameter values, looking the compiled reader up once per run of rows of one type (a batch is usually
    /// all one type), into one array it gives again for each row: a row's values are bound before the next is read (a
    /// first run writes 800,000 rows, and an array each was about a fifteenth of all it allocated).
    /// </summary>
    private sealed class RowReader(string[] names)
    {
        private readonly object?[] _values = new object?[names.Length];
        private Type? _type;
        private Action<object, object?[]>? _read;

        /// <summary>The row's values in the order of the names; valid until the next call.</summary>
        public object?[] Read(object row)
        {
            var type = row.GetType();
            if (type != _type)
            {
                (_type, _read) = (type, Reader(type, names));
            }

            _read!(row, _values);
            return _values;
        }
    }

    /// <summary>An insert's parts: what comes before the VALUES tuple, the tuple's values, its distinct parameters in order, and what follows it.</summary>
    private sealed record Shape(string Head, string[] Values, string[] Parameters, string Tail)
    {
        public string Sql(int rows)
        {
            var text = new StringBuilder(Head.Length + Tail.Length + (rows * Values.Length * 12));
            text.Append(Head);
            for (var i = 0; i < rows; i++)
            {
                text.Append(i == 0 ? "(" : ", (");
                for (var v = 0; v < Values.Length; v++)
                {
                    text.Append(v == 0 ? "" : ", ").Append(Values[v]);
                    if (Values[v].StartsWith('@'))
                    {
                        text.Append('_').Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                text.Append(')');
            }

            return text.Append(Tail).ToString();
        }
    }

    [GeneratedRegex(@"^(?<head>\s*INSERT\s+INTO\s+\w+\s*\([^()]*\)\s*VALUES\s*)\((?<values>[^()]*)\)(?<tail>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InsertShape();

    [GeneratedRegex(@"\b(RETURNING|OUTPUT|SELECT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Refused();

    [GeneratedRegex(@"^@\w+$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"@(\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex StatementParameter();

    [GeneratedRegex(@"^('[^',]*'|-?[0-9]+|NULL)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Literal();
}
