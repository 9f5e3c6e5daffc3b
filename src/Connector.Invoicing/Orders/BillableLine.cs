using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Orders;

/// <summary>
/// One order line as billing sees it (a CPQ order product after mapping).
/// <see cref="TotalPrice"/> prices the whole subscription term, as CPQ's TotalPrice does; the engine turns it
/// into a per-period price. <see cref="EndDate"/> null means evergreen, whose price is per month.
/// <see cref="TaxRatePercent"/> is a percentage (21 means 21 %).
/// </summary>
public sealed record BillableLine
{
    public required string LineId { get; init; }

    public required string OrderId { get; init; }

    public required string ProductName { get; init; }

    public required ChargeType ChargeType { get; init; }

    /// <summary>Null for one-time lines.</summary>
    public BillingFrequency? Frequency { get; init; }

    public BillingTiming Timing { get; init; } = BillingTiming.Advance;

    public required decimal Quantity { get; init; }

    /// <summary>Price of the whole term for all units, in major units of the order's currency.</summary>
    public required decimal TotalPrice { get; init; }

    public required DateOnly StartDate { get; init; }

    public DateOnly? EndDate { get; init; }

    /// <summary>CPQ's SBQQ__SubscriptionTerm__c in months; null derives it from StartDate and EndDate.</summary>
    public decimal? SubscriptionTermMonths { get; init; }

    /// <summary>CPQ's SBQQ__ProrateMultiplier__c; default 1.</summary>
    public decimal ProrateMultiplier { get; init; } = 1m;

    public decimal TaxRatePercent { get; init; }
}
