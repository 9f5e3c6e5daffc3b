namespace Connector.Mapping.WriteBack;

/// <summary>
/// What an order learns when it is invoiced: the last invoice, how far its service is billed, and when it is next
/// billed (null when nothing is left to bill).
/// </summary>
internal sealed record OrderFacts(string OrderId, string LastInvoiceNumber, DateOnly LastInvoiceDate, DateOnly BilledThrough, DateOnly? NextBillingDate = null);
