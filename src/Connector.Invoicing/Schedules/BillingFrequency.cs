namespace Connector.Invoicing.Schedules;

/// <summary>The length of a recurring line's billing period.</summary>
internal enum BillingFrequency
{
    Monthly = 1,
    Quarterly = 3,
    Semiannual = 6,
    Annual = 12,
}
