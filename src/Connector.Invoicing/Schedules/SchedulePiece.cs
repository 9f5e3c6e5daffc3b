namespace Connector.Invoicing.Schedules;

/// <summary>
/// One billable piece of a line's service: <see cref="Period"/> lies inside the whole billing period
/// <see cref="Whole"/> and covers <see cref="Factor"/> of it. <see cref="BillDate"/> is the first day a run bills it:
/// the period's start (Advance, and one-time lines) or the day after its end (Arrears).
/// </summary>
internal readonly record struct SchedulePiece(BillingPeriod Period, BillingPeriod Whole, decimal Factor, DateOnly BillDate);
