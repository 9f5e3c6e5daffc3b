namespace Connector.Mapping.WriteBack;

/// <summary>
/// What a usage line shows for one billed period (Salesforce Billing's usage summary): the period, the usage total it
/// billed with its unit, the net amount billed for it (late lines and credits included), its status and the invoice
/// that first billed it. Keyed by <see cref="SummaryKey"/> (order product and period start).
/// </summary>
internal sealed record UsageSummaryFacts(
    string SummaryKey,
    string OrderProductId,
    string OrderId,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    decimal Quantity,
    string? UnitOfMeasure,
    string Currency,
    decimal Amount,
    string Status,
    string? InvoiceNumber);

/// <summary>
/// What a usage record in the org learns: <c>Billed</c> with the invoice or credit note that took it into account, or
/// <c>Rejected</c> with the reason (outside the line's dates, another unit of measure...).
/// </summary>
internal sealed record UsageFacts(string UsageRecordId, string Status, string? InvoiceNumber, string? Reason);
