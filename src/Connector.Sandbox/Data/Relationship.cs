namespace Connector.Sandbox.Data;

/// <summary>A lookup: <c>Account</c> on Order is the Account whose Id is in <c>AccountId</c>.</summary>
internal sealed record Relationship(string Name, string TargetObject, string IdField);
