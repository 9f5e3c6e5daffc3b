namespace Connector.Sandbox.Soql;

/// <summary>A parsed SOQL query of the subset the sandbox answers.</summary>
internal sealed record SoqlQuery(IReadOnlyList<string> Fields, string From, Condition? Where, IReadOnlyList<OrderTerm> OrderBy, int? Limit)
{
    /// <summary>The select list of <c>SELECT COUNT() FROM …</c>: the answer is totalSize alone.</summary>
    public const string Count = "COUNT()";

    public bool IsCount => Fields is [Count];
}

/// <summary>One ORDER BY term.</summary>
internal sealed record OrderTerm(string Field, bool Descending);
