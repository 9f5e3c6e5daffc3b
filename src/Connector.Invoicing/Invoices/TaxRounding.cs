namespace Connector.Invoicing.Invoices;

/// <summary>Where VAT is rounded to the minor unit.</summary>
internal enum TaxRounding
{
    /// <summary>Once per rate, on the sum of that rate's line net amounts (EN 16931 BR-CO-17). The default.</summary>
    PerRateOnDocument,

    /// <summary>On every line; a rate's tax is the sum of its lines' rounded taxes.</summary>
    PerLine,
}
