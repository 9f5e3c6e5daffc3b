namespace Connector.Sandbox.Soql;

/// <summary>A WHERE condition tree. Literals are string, decimal, bool, null, <see cref="DateTimeOffset"/> or <see cref="DateOnly"/>.</summary>
public abstract record Condition
{
    public sealed record And(Condition Left, Condition Right) : Condition;

    public sealed record Or(Condition Left, Condition Right) : Condition;

    public sealed record Not(Condition Inner) : Condition;

    public sealed record Compare(string Field, string Operator, object? Value) : Condition;

    public sealed record In(string Field, IReadOnlyList<object?> Values, bool Negated) : Condition;

    /// <summary>A semi-join: the field's value is among the values the subquery selects.</summary>
    public sealed record InSubquery(string Field, SoqlQuery Subquery, bool Negated) : Condition;
}
