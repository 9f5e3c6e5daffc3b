using Connector.Invoicing.Money;

namespace Connector.Invoicing.Orders;

/// <summary>An activated order with its account and lines, as billing sees it. Ids are the source system's.</summary>
internal sealed record BillableOrder
{
    public required string OrderId { get; init; }

    public required string OrderNumber { get; init; }

    public required BillingAccount Account { get; init; }

    public required Currency Currency { get; init; }

    /// <summary>Days from issue to due date (Net N); 0 is due on receipt.</summary>
    public int PaymentTermDays { get; init; } = 30;

    /// <summary>The invoice batch the order is billed in (Salesforce Billing's Invoice Batch), or null.</summary>
    public string? InvoiceBatch { get; init; }

    /// <summary>An installment plan the order's payment term maps to ("30%/15d, 70%/45d"); null when it is Net N days.</summary>
    public string? PaymentTerms { get; init; }

    /// <summary>The key of the legal entity that bills the order; null: the first configured.</summary>
    public string? LegalEntity { get; init; }

    public required IReadOnlyList<BillableLine> Lines { get; init; }
}
