using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Usage;

/// <summary>
/// One billed period of a usage line: the usage total billed for it, the net amount its documents billed (late lines
/// and credits included) and the invoice that first billed it (null when the period rated nothing).
/// </summary>
internal sealed record UsageSummary(string LineId, string OrderId, string AccountId, BillingPeriod Period, decimal Quantity, string? UnitOfMeasure, Amount Amount, string? Invoice);
