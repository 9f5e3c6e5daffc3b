using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// VAT for one rate on a document: the summed net base of that rate and its tax. <see cref="ExemptReason"/> names why
/// a zero-rated group carries no tax; lines with different reasons form different groups.
/// </summary>
internal sealed record TaxLine(decimal RatePercent, Amount Base, Amount Tax)
{
    public string? ExemptReason { get; init; }
}

/// <summary>A withholding tax group (Spain's IRPF): the base of the lines withheld at this rate and the amount withheld.</summary>
internal sealed record WithholdingLine(decimal RatePercent, Amount Base, Amount Withheld);
