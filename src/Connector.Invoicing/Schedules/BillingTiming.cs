namespace Connector.Invoicing.Schedules;

/// <summary>When a recurring period is billed: at its start (Advance) or after its end (Arrears). CPQ's SBQQ__BillingType__c.</summary>
internal enum BillingTiming
{
    Advance,
    Arrears,
}
