namespace Connector.Invoicing.Schedules;

/// <summary>How a line is charged: once, or every billing period.</summary>
internal enum ChargeType
{
    OneTime,
    Recurring,
}
