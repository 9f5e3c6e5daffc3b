namespace Connector.Sandbox.Soql;

/// <summary>A parsed SOQL query of the subset the sandbox answers.</summary>
public sealed record SoqlQuery(IReadOnlyList<string> Fields, string From, Condition? Where, IReadOnlyList<OrderTerm> OrderBy, int? Limit);

/// <summary>One ORDER BY term.</summary>
public sealed record OrderTerm(string Field, bool Descending);
