using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Connector.Storage;

/// <summary>
/// One statement prepared on a SQLite connection's native handle and executed once per row, its named parameters bound
/// straight from the row's values. Microsoft.Data.Sqlite makes a binder object per parameter and a data reader per
/// execution, and converts each string to UTF-8 in a new array: for the hundreds of thousands of rows a first invoice
/// run writes, that was a gigabyte of garbage. Here strings are bound as UTF-16 (SQLite converts them), integers as
/// themselves, null as NULL.
/// <para>
/// Only values whose meaning in SQLite is plain are bound here: strings, whole numbers (bool as 0 or 1) and null, as
/// Microsoft.Data.Sqlite binds them. A row with any other value (a decimal, a date, a double, bytes) returns false from
/// <see cref="TryExecute"/>, and the caller runs it through Microsoft.Data.Sqlite, which decides how those are stored.
/// </para>
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private const int Done = 101;
    private const int Row = 100;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _indexes;

    private SqliteRowStatement(sqlite3 db, sqlite3_stmt statement, int[] indexes) => (_db, _statement, _indexes) = (db, statement, indexes);

    /// <summary>The statement prepared on <paramref name="connection"/>'s handle, or null when it is not an open SQLite connection.</summary>
    public static SqliteRowStatement? Prepare(System.Data.Common.DbConnection connection, string sql, IReadOnlyList<string> parameterNames)
    {
        if (connection is not SqliteConnection { Handle: { } db })
        {
            return null;
        }

        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out string tail);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (!string.IsNullOrWhiteSpace(tail))
        {
            // More than one statement: Microsoft.Data.Sqlite runs them all; a prepared statement would be the first only.
            statement.Dispose();
            return null;
        }

        var indexes = parameterNames.Select(name => raw.sqlite3_bind_parameter_index(statement, "@" + name)).ToArray();
        if (indexes.Contains(0) || raw.sqlite3_bind_parameter_count(statement) != indexes.Length)
        {
            // A name the statement does not have, or a parameter it has that no name gives: Microsoft.Data.Sqlite reports it.
            statement.Dispose();
            return null;
        }

        return new SqliteRowStatement(db, statement, indexes);
    }

    /// <summary>Whether every value can be bound here (see the type's remarks).</summary>
    public static bool Binds(object?[] values)
    {
        foreach (var value in values)
        {
            if (value is not (null or DBNull or string or long or int or short or byte or bool))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Executes the statement with <paramref name="values"/> (in the order of the parameter names) and gives the rows it
    /// changed and the first column of the row it returned, if any; false, having written nothing, when a value is one
    /// <see cref="Binds"/> refuses or the database stays busy.
    /// </summary>
    public bool TryExecute(object?[] values, out int changed, out long? returned)
    {
        (changed, returned) = (0, null);
        if (!Binds(values))
        {
            return false;
        }

        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Check(Bind(_indexes[i], values[i]));
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
            {
                // Another connection holds the database past the busy timeout: nothing was written, and the caller runs
                // the row through Microsoft.Data.Sqlite, which waits on for the command's timeout.
                return false;
            }

            if (rc == Row)
            {
                returned = raw.sqlite3_column_int64(_statement, 0);
                rc = raw.sqlite3_step(_statement);
            }

            if (rc != Done)
            {
                // The error the step reports is the statement's; reset below gives it again.
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            changed = raw.sqlite3_changes(_db);
            return true;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private int Bind(int index, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, index),
        string text => raw.sqlite3_bind_text16(_statement, index, text.AsSpan()),
        long number => raw.sqlite3_bind_int64(_statement, index, number),
        int number => raw.sqlite3_bind_int64(_statement, index, number),
        short number => raw.sqlite3_bind_int64(_statement, index, number),
        byte number => raw.sqlite3_bind_int64(_statement, index, number),
        bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
        _ => throw new ArgumentException($"A {value.GetType().Name} is not bound here.", nameof(value)),
    };

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}

/// <summary>
/// A statement executed once per row on SQLite: through <see cref="SqliteRowStatement"/> when the row's values allow,
/// otherwise (and on a connection that is not Microsoft.Data.Sqlite's) through one reused command of that provider.
/// </summary>
internal sealed class SqliteRows : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    private readonly string _sql;
    private readonly IReadOnlyList<string> _names;
    private readonly SqliteRowStatement? _native;
    private DbCommand? _command;
    private DbParameter[]? _parameters;

    public SqliteRows(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<string> names)
    {
        (_connection, _transaction, _sql, _names) = (connection, transaction, sql, names);
        _native = SqliteRowStatement.Prepare(connection, sql, names);
    }

    /// <summary>Executes the statement with <paramref name="values"/>, in the order of the names; gives the rows it changed.</summary>
    public int Execute(object?[] values) =>
        _native is not null && _native.TryExecute(values, out var changed, out _) ? changed : Command(values).ExecuteNonQuery();

    /// <summary>Executes the statement with <paramref name="values"/>; gives the first column of the row it returned, if any.</summary>
    public long? ExecuteScalar(object?[] values)
    {
        if (_native is not null && _native.TryExecute(values, out _, out var returned))
        {
            return returned;
        }

        return Command(values).ExecuteScalar() is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    public void Dispose()
    {
        _native?.Dispose();
        _command?.Dispose();
    }

    private DbCommand Command(object?[] values)
    {
        if (_command is null)
        {
            _command = _connection.CreateCommand();
            _command.Transaction = _transaction;
            _command.CommandText = _sql;
            _parameters = new DbParameter[_names.Count];
            for (var p = 0; p < _parameters.Length; p++)
            {
                _parameters[p] = _command.CreateParameter();
                _parameters[p].ParameterName = "@" + _names[p];
                _command.Parameters.Add(_parameters[p]);
            }
        }

        for (var p = 0; p < values.Length; p++)
        {
            _parameters![p].Value = values[p] ?? DBNull.Value;
        }

        return _command;
    }
}
