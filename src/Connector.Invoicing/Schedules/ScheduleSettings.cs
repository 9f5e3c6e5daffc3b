namespace Connector.Invoicing.Schedules;

/// <summary>
/// How a billing account's periods are laid out: the day of the month periods start on (1-31; a day past a month's end,
/// such as 31 in April or 29-31 in February, means that month's last day) and how partial periods are prorated.
/// </summary>
internal sealed record ScheduleSettings
{
    public static ScheduleSettings Default { get; } = new();

    public ScheduleSettings(int billingDayOfMonth = 1, ProrationMethod proration = ProrationMethod.MonthlyDaily)
    {
        if (billingDayOfMonth is < 1 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(billingDayOfMonth), billingDayOfMonth, "The billing day of month is 1 to 31 (31 = the month's last day).");
        }

        if (!Enum.IsDefined(proration))
        {
            throw new ArgumentOutOfRangeException(nameof(proration), proration, "Unknown proration method.");
        }

        (BillingDayOfMonth, Proration) = (billingDayOfMonth, proration);
    }

    public int BillingDayOfMonth { get; }

    public ProrationMethod Proration { get; }

    /// <summary>The billing day in a given month: <see cref="BillingDayOfMonth"/>, or the month's last day when shorter.</summary>
    public DateOnly BillingDateIn(int year, int month) =>
        new(year, month, Math.Min(BillingDayOfMonth, DateTime.DaysInMonth(year, month)));

    /// <summary>The billing date <paramref name="months"/> after the billing month of <paramref name="billingDate"/>.</summary>
    public DateOnly AddBillingMonths(DateOnly billingDate, int months)
    {
        var shifted = new DateOnly(billingDate.Year, billingDate.Month, 1).AddMonths(months);
        return BillingDateIn(shifted.Year, shifted.Month);
    }

    /// <summary>The first billing date on or after <paramref name="date"/>.</summary>
    public DateOnly FirstBillingDateOnOrAfter(DateOnly date)
    {
        var inMonth = BillingDateIn(date.Year, date.Month);
        return inMonth >= date ? inMonth : AddBillingMonths(inMonth, 1);
    }
}
