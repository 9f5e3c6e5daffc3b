namespace Connector.Mapping.WriteBack;

/// <summary>
/// What a credit note's record shows sales users: its number and date, the account, the order when it credits one, the
/// invoice it corrects (its key: null for an account credit), why, its amounts, and how much of it is used
/// ("saldo utilizado": allocated to invoices or refunded) and still available.
/// </summary>
internal sealed record CreditNoteFacts(
    string CreditNoteKey,
    string Number,
    string Status,
    string AccountId,
    string? OrderId,
    string? CorrectsInvoiceKey,
    DateOnly IssueDate,
    string Currency,
    string Reason,
    decimal Net,
    decimal Tax,
    decimal Total,
    decimal Allocated,
    decimal Available);
