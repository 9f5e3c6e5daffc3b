namespace Connector.Mapping.WriteBack;

/// <summary>
/// What the world outside learns about a posted invoice. <see cref="InvoiceKey"/> is the stable external id (the
/// invoice number). Amounts are in major units of <see cref="Currency"/>.
/// </summary>
internal sealed record InvoiceFacts(
    string InvoiceKey,
    string Number,
    string Status,
    string AccountId,
    string? OrderId,
    string Currency,
    DateOnly IssueDate,
    DateOnly DueDate,
    decimal Net,
    decimal Tax,
    decimal Total,
    decimal Balance,
    string PaymentStatus,
    decimal Paid = 0m,
    decimal Credited = 0m,
    decimal Disputed = 0m);
