namespace Connector.Invoicing.Storage;

/// <summary>How many invoices are posted, and the last one's number and issue date.</summary>
public sealed record InvoiceStats(int Count, string? LastNumber, DateOnly? LastIssueDate);
