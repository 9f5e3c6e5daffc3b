using System.Globalization;
using System.Text;

namespace Connector.Sandbox.Soql;

/// <summary>
/// Parses the SOQL subset the connector emits: a select list with relationship paths, FROM one object, WHERE with
/// AND / OR / NOT / parentheses, comparisons (= != &lt;&gt; &lt; &lt;= &gt; &gt;=), LIKE, IN and NOT IN, string, number, boolean,
/// null, date and datetime literals (relative ones too: TODAY, LAST_N_DAYS:n…), ORDER BY and LIMIT.
/// </summary>
internal static class SoqlParser
{
    public static SoqlQuery Parse(string soql)
    {
        var tokens = new Tokens(Tokenize(soql));
        var query = ParseSelect(tokens);
        if (!tokens.AtEnd)
        {
            throw new SoqlException("MALFORMED_QUERY", $"unexpected token: '{tokens.Peek()}'");
        }

        return query;
    }

    private static SoqlQuery ParseSelect(Tokens tokens)
    {
        tokens.Expect("SELECT");
        List<string> fields;
        if (tokens.TryTake("COUNT"))
        {
            tokens.Expect("(");
            tokens.Expect(")");
            fields = [SoqlQuery.Count];
        }
        else
        {
            fields = [tokens.Identifier()];
            while (tokens.TryTake(","))
            {
                fields.Add(tokens.Identifier());
            }
        }

        tokens.Expect("FROM");
        var from = tokens.Identifier();
        Condition? where = null;
        if (tokens.TryTake("WHERE"))
        {
            where = ParseOr(tokens);
        }

        var orderBy = new List<OrderTerm>();
        if (tokens.TryTake("ORDER"))
        {
            tokens.Expect("BY");
            do
            {
                var field = tokens.Identifier();
                var descending = tokens.TryTake("DESC");
                if (!descending)
                {
                    tokens.TryTake("ASC");
                }

                if (tokens.TryTake("NULLS") && !tokens.TryTake("FIRST"))
                {
                    tokens.Expect("LAST");
                }

                orderBy.Add(new OrderTerm(field, descending));
            }
            while (tokens.TryTake(","));
        }

        int? limit = null;
        if (tokens.TryTake("LIMIT"))
        {
            limit = int.Parse(tokens.Next(), CultureInfo.InvariantCulture);
        }

        return new SoqlQuery(fields, from, where, orderBy, limit);
    }

    private static Condition ParseOr(Tokens tokens)
    {
        var left = ParseAnd(tokens);
        while (tokens.TryTake("OR"))
        {
            left = new Condition.Or(left, ParseAnd(tokens));
        }

        return left;
    }

    private static Condition ParseAnd(Tokens tokens)
    {
        var left = ParseFactor(tokens);
        while (tokens.TryTake("AND"))
        {
            left = new Condition.And(left, ParseFactor(tokens));
        }

        return left;
    }

    private static Condition ParseFactor(Tokens tokens)
    {
        if (tokens.TryTake("("))
        {
            var inner = ParseOr(tokens);
            tokens.Expect(")");
            return inner;
        }

        if (tokens.TryTake("NOT"))
        {
            return new Condition.Not(ParseFactor(tokens));
        }

        var field = tokens.Identifier();
        if (tokens.TryTake("NOT"))
        {
            tokens.Expect("IN");
            return ParseIn(tokens, field, negated: true);
        }

        if (tokens.TryTake("IN"))
        {
            return ParseIn(tokens, field, negated: false);
        }

        if (tokens.TryTake("LIKE"))
        {
            return new Condition.Compare(field, "LIKE", Literal(tokens.Next()) as string ?? throw new SoqlException("MALFORMED_QUERY", $"LIKE on {field} needs a string pattern"));
        }

        var op = tokens.Next();
        if (op is not ("=" or "!=" or "<>" or "<" or "<=" or ">" or ">="))
        {
            throw new SoqlException("MALFORMED_QUERY", $"unexpected operator '{op}' after {field}");
        }

        return new Condition.Compare(field, op == "<>" ? "!=" : op, Literal(tokens.Next()));
    }

    /// <summary>IN (values) or a semi-join: IN (SELECT one field FROM object WHERE ...).</summary>
    private static Condition ParseIn(Tokens tokens, string field, bool negated)
    {
        if (tokens.PeekIs("(") && tokens.PeekIs("SELECT", 1))
        {
            tokens.Expect("(");
            var subquery = ParseSelect(tokens);
            tokens.Expect(")");
            if (subquery.Fields.Count != 1)
            {
                throw new SoqlException("MALFORMED_QUERY", "a semi-join subquery selects exactly one field");
            }

            return new Condition.InSubquery(field, subquery, negated);
        }

        return new Condition.In(field, ParseList(tokens), negated);
    }

    private static List<object?> ParseList(Tokens tokens)
    {
        tokens.Expect("(");
        var values = new List<object?> { Literal(tokens.Next()) };
        while (tokens.TryTake(","))
        {
            values.Add(Literal(tokens.Next()));
        }

        tokens.Expect(")");
        return values;
    }

    private static object? Literal(string token)
    {
        if (token.StartsWith('\''))
        {
            return token[1..];
        }

        if (token.Equals("NULL", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (token.Equals("TRUE", StringComparison.OrdinalIgnoreCase) || token.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
        {
            return token.Equals("TRUE", StringComparison.OrdinalIgnoreCase);
        }

        if (token.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        if (DateLiteral.TryParse(token) is { } relative)
        {
            return relative;
        }

        if (DateOnly.TryParseExact(token, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (decimal.TryParse(token, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw new SoqlException("MALFORMED_QUERY", $"'{token}' is not a literal");
    }

    private static List<string> Tokenize(string soql)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                // A string token keeps its opening quote as a marker; escapes are resolved here.
                var text = new StringBuilder("'");
                i++;
                while (true)
                {
                    if (i >= soql.Length)
                    {
                        throw new SoqlException("MALFORMED_QUERY", "unterminated string literal");
                    }

                    if (soql[i] == '\\' && i + 1 < soql.Length)
                    {
                        // \% and \_ keep their backslash: LIKE reads them as a literal % and _.
                        text.Append(soql[i + 1] switch { 'n' => "\n", 'r' => "\r", 't' => "\t", 'b' => "\b", 'f' => "\f", '%' => "\\%", '_' => "\\_", var other => other.ToString() });
                        i += 2;
                    }
                    else if (soql[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        text.Append(soql[i++]);
                    }
                }

                tokens.Add(text.ToString());
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < soql.Length ? soql.Substring(i, 2) : null;
                if (two is "!=" or "<=" or ">=" or "<>")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else
                {
                    tokens.Add(c.ToString());
                    i++;
                }
            }
            else
            {
                var start = i;
                while (i < soql.Length && (char.IsLetterOrDigit(soql[i]) || soql[i] is '_' or '.' or ':' or '-' or '+'))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new SoqlException("MALFORMED_QUERY", $"unexpected character '{c}'");
                }

                tokens.Add(soql[start..i]);
            }
        }

        return tokens;
    }

    private sealed class Tokens(List<string> items)
    {
        private int _position;

        public bool AtEnd => _position >= items.Count;

        public string Peek() => AtEnd ? "<end>" : items[_position];

        public bool PeekIs(string keyword, int ahead = 0) =>
            _position + ahead < items.Count && items[_position + ahead].Equals(keyword, StringComparison.OrdinalIgnoreCase);

        public string Next() => AtEnd ? throw new SoqlException("MALFORMED_QUERY", "unexpected end of query") : items[_position++];

        public bool TryTake(string keyword)
        {
            if (!AtEnd && items[_position].Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        public void Expect(string keyword)
        {
            if (!TryTake(keyword))
            {
                throw new SoqlException("MALFORMED_QUERY", $"expecting '{keyword}', found '{Peek()}'");
            }
        }

        public string Identifier()
        {
            var token = Next();
            return char.IsLetter(token[0]) ? token : throw new SoqlException("MALFORMED_QUERY", $"expecting a field or object name, found '{token}'");
        }
    }
}
