using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// One line of a posted invoice: what was billed (the source order line and its service period), the proration
/// factor applied to the period price, the rounded net amount and the VAT rate (percent). <see cref="Explanation"/>
/// says how the amount was computed.
/// </summary>
public sealed record InvoiceLine(
    int LineNumber,
    string OrderId,
    string OrderLineId,
    string Description,
    BillingPeriod Period,
    decimal Quantity,
    decimal ProrationFactor,
    Amount Net,
    decimal TaxRatePercent,
    string Explanation);
