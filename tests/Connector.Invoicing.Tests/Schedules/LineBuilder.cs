using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Tests.Schedules;

/// <summary>A valid recurring line by default (12 months of monthly service from 2026-01-01 for 1,200.00); tests change what they care about.</summary>
internal sealed class LineBuilder
{
    private BillableLine _line = new()
    {
        LineId = "802000000000001AAA",
        OrderId = "801000000000001AAA",
        ProductName = "Platform",
        ChargeType = ChargeType.Recurring,
        Frequency = BillingFrequency.Monthly,
        Quantity = 1,
        TotalPrice = 1_200m,
        StartDate = new DateOnly(2026, 1, 1),
        EndDate = new DateOnly(2026, 12, 31),
    };

    public LineBuilder WithId(string id) => With(_line with { LineId = id });

    public LineBuilder WithOrder(string orderId) => With(_line with { OrderId = orderId });

    public LineBuilder OneTime(decimal total) => With(_line with { ChargeType = ChargeType.OneTime, Frequency = null, TotalPrice = total, EndDate = null });

    public LineBuilder WithFrequency(BillingFrequency frequency) => With(_line with { Frequency = frequency });

    public LineBuilder WithTiming(BillingTiming timing) => With(_line with { Timing = timing });

    public LineBuilder WithTerm(DateOnly start, DateOnly? end, decimal? termMonths = null) =>
        With(_line with { StartDate = start, EndDate = end, SubscriptionTermMonths = termMonths });

    public LineBuilder WithTotal(decimal total) => With(_line with { TotalPrice = total });

    public LineBuilder WithTax(decimal percent) => With(_line with { TaxRatePercent = percent });

    public BillableLine Build() => _line;

    private LineBuilder With(BillableLine line)
    {
        _line = line;
        return this;
    }
}
