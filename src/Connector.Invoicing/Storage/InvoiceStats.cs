namespace Connector.Invoicing.Storage;

/// <summary>How many invoices are posted, and the last one's number and issue date.</summary>
internal sealed record InvoiceStats(int Count, string? LastNumber, DateOnly? LastIssueDate);
