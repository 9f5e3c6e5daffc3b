namespace Connector.Invoicing.Orders;

/// <summary>An order's billing header, without lines. <see cref="Currency"/> is an ISO 4217 code.</summary>
public sealed record OrderHeader(string OrderId, string OrderNumber, string AccountId, string Currency, int PaymentTermDays, string? InvoiceBatch = null);
