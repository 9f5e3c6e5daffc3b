namespace Connector.Invoicing.Schedules;

/// <summary>How the share of a billing period that a partial period covers is computed.</summary>
internal enum ProrationMethod
{
    /// <summary>
    /// Whole billing months of the partial period count 1 each; the remaining days count days ÷ the days of the billing
    /// month they fall in; the sum is divided by the months per period. With billing day 1 a billing month is a calendar
    /// month: Salesforce CPQ's "Monthly + Daily". The default.
    /// </summary>
    MonthlyDaily,

    /// <summary>The partial period's days ÷ the days of the whole period it belongs to.</summary>
    Daily,

    /// <summary>The partial period's actual days ÷ (30 × months per period), at most 1 (Zuora's "assume 30 days").</summary>
    Fixed30,

    /// <summary>Days counted on the 30/360 convention ÷ (30 × months per period), at most 1 (Kill Bill's fixed days).</summary>
    Thirty360,
}
