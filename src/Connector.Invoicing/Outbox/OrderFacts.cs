namespace Connector.Invoicing.Outbox;

/// <summary>What an order learns when it is invoiced: the last invoice and how far its service is billed.</summary>
public sealed record OrderFacts(string OrderId, string LastInvoiceNumber, DateOnly LastInvoiceDate, DateOnly BilledThrough);
