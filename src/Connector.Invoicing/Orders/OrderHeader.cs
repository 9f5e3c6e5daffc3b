namespace Connector.Invoicing.Orders;

/// <summary>An order's billing header, without lines. <see cref="Currency"/> is an ISO 4217 code.</summary>
internal sealed record OrderHeader(string OrderId, string OrderNumber, string AccountId, string Currency, int PaymentTermDays, string? InvoiceBatch = null)
{
    /// <summary>An installment plan the order's payment term maps to ("30%/15d, 70%/45d"); null when it is Net N days.</summary>
    public string? PaymentTerms { get; init; }

    /// <summary>The key of the legal entity that bills the order (Connector:Billing:LegalEntities); null: the first.</summary>
    public string? LegalEntity { get; init; }
}
