namespace Connector.Invoicing.Schedules;

/// <summary>How a line is charged: once, every billing period, or by what was used in each billing period (in arrears).</summary>
internal enum ChargeType
{
    OneTime,
    Recurring,
    Usage,
}
