namespace Connector.Invoicing.Schedules;

/// <summary>
/// What a line charges and when: the scheduling half of an order line. <see cref="PeriodAmount"/> is the net amount of
/// one whole billing period for all units (for one-time lines: the amount billed once); a piece of a period bills
/// <see cref="PeriodAmount"/> × its proration factor, rounded to the minor unit. <see cref="GridStart"/> is where the
/// line's period grid starts: the line's own start, or, for an amendment's delta line, the start of the line it
/// revises, so both bill the same periods.
/// </summary>
internal sealed record ChargeTerms
{
    public required string LineId { get; init; }

    public required ChargeType ChargeType { get; init; }

    /// <summary>Null for one-time lines.</summary>
    public BillingFrequency? Frequency { get; init; }

    public BillingTiming Timing { get; init; } = BillingTiming.Advance;

    public required DateOnly Start { get; init; }

    /// <summary>Inclusive; null is an evergreen line.</summary>
    public DateOnly? End { get; init; }

    public required decimal Quantity { get; init; }

    /// <summary>Net price of one unit for one whole period, for printing; <see cref="PeriodAmount"/> is what bills.</summary>
    public required decimal UnitPrice { get; init; }

    public required decimal PeriodAmount { get; init; }

    public DateOnly? GridStart { get; init; }

    public int MonthsPerPeriod => Frequency is { } f ? (int)f : throw new InvalidOperationException($"Line {LineId} is one-time and has no billing period.");

    /// <summary>Terms priced per unit and period, as a scenario file gives them: PeriodAmount = quantity × unit price.</summary>
    public static ChargeTerms PerUnit(string lineId, ChargeType chargeType, BillingFrequency? frequency, BillingTiming timing,
        DateOnly start, DateOnly? end, decimal quantity, decimal unitPrice, DateOnly? gridStart = null) =>
        new()
        {
            LineId = lineId, ChargeType = chargeType, Frequency = frequency, Timing = timing, Start = start, End = end,
            Quantity = quantity, UnitPrice = unitPrice, PeriodAmount = quantity * unitPrice, GridStart = gridStart,
        };
}
