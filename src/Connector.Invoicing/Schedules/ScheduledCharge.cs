namespace Connector.Invoicing.Schedules;

/// <summary>
/// One billable piece of a line: its service period, the share of a whole billing period it covers
/// (<see cref="ProrationFactor"/>, 1 for a whole period, 9 decimals) and its net amount, already rounded.
/// </summary>
public sealed record ScheduledCharge(
    string LineId,
    BillingPeriod Period,
    decimal ProrationFactor,
    decimal PeriodPrice,
    Money.Amount Net,
    string Formula);
