namespace Connector.Invoicing.Runs;

/// <summary>An order line the engine could not bill, and why: its billing is held and a quarantine row explains it; every other line bills.</summary>
internal sealed record HeldLine(string LineId, string AccountId, string Reason);
