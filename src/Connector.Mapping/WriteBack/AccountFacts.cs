namespace Connector.Mapping.WriteBack;

/// <summary>
/// What an account's record shows sales users: what it owes (gross, in <see cref="Currency"/>), how much of that is
/// overdue or disputed, and the credit it has available (unapplied payments and credit notes).
/// </summary>
internal sealed record AccountFacts(
    string AccountId,
    string Currency,
    decimal Balance,
    decimal Overdue,
    decimal Disputed,
    decimal AvailableCredit);
