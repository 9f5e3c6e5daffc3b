using Connector.Invoicing.Money;

namespace Connector.Invoicing.Invoices;

/// <summary>VAT for one rate on a document: the summed net base of that rate and its tax, rounded once (EN 16931 BR-CO-17).</summary>
public sealed record TaxLine(decimal RatePercent, Amount Base, Amount Tax);
