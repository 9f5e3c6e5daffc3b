using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Orders;

/// <summary>
/// One order line as billing sees it (a CPQ order product after mapping).
/// <see cref="TotalPrice"/> prices the whole subscription term, as CPQ's TotalPrice does; <see cref="Terms"/> turns it
/// into a per-period amount. <see cref="EndDate"/> null means evergreen, whose price is per month.
/// <see cref="TaxRatePercent"/> is a percentage (21 means 21 %).
/// </summary>
internal sealed record BillableLine
{
    private const int PeriodPriceDecimals = 6; // Salesforce Billing rounds the billable unit price to six decimals.

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

    /// <summary>Why the line is exempt from VAT (printed on the invoice and carried to its tax group), or null.</summary>
    public string? TaxExemptReason { get; init; }

    /// <summary>Income tax withheld by the buyer, in percent (Spain's IRPF, 0-100); the invoice shows total and amount payable.</summary>
    public decimal WithholdingPercent { get; init; }

    /// <summary>CPQ's SBQQ__RevisedOrderProduct__c: the line an amendment's delta line revises; it bills on that line's periods.</summary>
    public string? RevisesLineId { get; init; }

    /// <summary>Salesforce Billing's Hold Billing: while set, runs skip the line; cleared, they bill what was held.</summary>
    public bool HoldBilling { get; init; }

    /// <summary>A next billing date set in the org: no run with an earlier target date bills the line.</summary>
    public DateOnly? NextBillingDate { get; init; }

    /// <summary>The contract the line belongs to (the order's ContractId); its end bounds the line's service.</summary>
    public string? ContractId { get; init; }

    /// <summary>The end of <see cref="ContractId"/> as last read; service after it is not billed (the price is not changed).</summary>
    public DateOnly? ContractEndDate { get; init; }

    /// <summary>A usage line's consumption schedule (its active SBQQ__OrderItemConsumptionSchedule__c and rates); null otherwise.</summary>
    public Usage.ConsumptionSchedule? Consumption { get; init; }

    /// <summary>
    /// The line's schedule: one-time lines bill <see cref="TotalPrice"/> once; a recurring line bills, per whole period,
    /// Salesforce Billing's billable unit price TotalPrice × frequency months ÷ (prorate multiplier × term months),
    /// rounded to six decimals; an evergreen line's TotalPrice is per month. Its service ends with the line or with its
    /// contract, whichever comes first; a contract ended early does not re-price the line. A line of quantity 0 bills
    /// nothing, whatever its total price says (CPQ never prices zero units; an org that does is read as no units): a
    /// quantity set to 0 in place credits what its periods were billed, as any change of a billed price does.
    /// </summary>
    public ChargeTerms Terms()
    {
        if (ChargeType == ChargeType.Usage)
        {
            return (Consumption ?? throw new InvalidOperationException($"Usage line {LineId} has no consumption schedule.")).Terms(LineId, StartDate, ServiceEnd);
        }

        var periodAmount = ChargeType == ChargeType.OneTime ? TotalPrice : PeriodAmount();
        return new ChargeTerms
        {
            LineId = LineId,
            ChargeType = ChargeType,
            Frequency = Frequency,
            Timing = Timing,
            Start = StartDate,
            End = ServiceEnd,
            Quantity = Quantity,
            UnitPrice = Quantity == 0m ? periodAmount : decimal.Round(periodAmount / Quantity, PeriodPriceDecimals, MidpointRounding.AwayFromZero),
            PeriodAmount = Quantity == 0m ? 0m : periodAmount,
        };
    }

    /// <summary>The last day of service: the line's end or its contract's, whichever comes first (null: evergreen).</summary>
    private DateOnly? ServiceEnd => EndDate is { } end && ContractEndDate is { } contract ? (contract < end ? contract : end) : EndDate ?? ContractEndDate;

    private decimal PeriodAmount()
    {
        var months = (int)(Frequency ?? throw new InvalidOperationException($"Recurring line {LineId} has no billing frequency."));
        if (EndDate is not { } end)
        {
            return decimal.Round(TotalPrice * months, PeriodPriceDecimals, MidpointRounding.AwayFromZero);
        }

        var term = SubscriptionTermMonths ?? decimal.Round(Proration.BillingMonths(new BillingPeriod(StartDate, end), ScheduleSettings.Default), Proration.FactorDecimals, MidpointRounding.AwayFromZero);
        if (term <= 0 || ProrateMultiplier <= 0)
        {
            throw new InvalidOperationException($"Line {LineId} has a non-positive term ({term}) or prorate multiplier ({ProrateMultiplier}).");
        }

        return decimal.Round(TotalPrice * months / (ProrateMultiplier * term), PeriodPriceDecimals, MidpointRounding.AwayFromZero);
    }
}
