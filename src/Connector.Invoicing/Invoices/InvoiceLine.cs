using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// One line of a posted invoice or credit note: what was billed (the source order line and its service period), the
/// proration factor applied to the period price, the rounded net amount and the VAT rate (percent).
/// <see cref="Explanation"/> says how the amount was computed. On a credit note, <see cref="Net"/> is the amount
/// credited (positive) and <see cref="CorrectedLine"/> the corrected invoice's line number.
/// </summary>
internal sealed record InvoiceLine(
    int LineNumber,
    string OrderId,
    string OrderLineId,
    string Description,
    BillingPeriod Period,
    decimal Quantity,
    decimal ProrationFactor,
    Amount Net,
    decimal TaxRatePercent,
    string Explanation)
{
    /// <summary>Net price of one unit for one whole period (one-time lines: of one unit).</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>Why a zero-rated line carries no VAT (e.g. an EN 16931 exemption code and text); null when taxed.</summary>
    public string? TaxExemptReason { get; init; }

    /// <summary>Withholding tax (e.g. Spain's IRPF) in percent that the buyer keeps back from this line; 0 when none.</summary>
    public decimal WithholdingPercent { get; init; }

    /// <summary>For an amendment's delta line: the line it revises.</summary>
    public string? Revises { get; init; }

    /// <summary>On a credit note: the 1-based number of the corrected invoice line, when the credit is for one line.</summary>
    public int? CorrectedLine { get; init; }

    /// <summary>On a usage line: the usage records it bills, the tiers that rated them, and whether it is a late line.</summary>
    public Usage.UsageDetail? Usage { get; init; }
}
