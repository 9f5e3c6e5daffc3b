namespace Connector.Mapping.Profile;

/// <summary>One written field: the Salesforce field, the billing fact it receives, and when it is written.</summary>
internal sealed record WriteSpec(string Field, string Fact, WriteMode Mode, SourceLocation Location);
