namespace Connector.Invoicing.Runs;

/// <summary>How invoices are made. Bound from <c>Connector:Billing</c>.</summary>
internal sealed class BillingOptions
{
    public const string SectionName = "Connector:Billing";

    /// <summary>IANA time zone that decides "today" for invoice runs. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Prefix of the invoice number series; numbers read <c>INV-000001</c>; <c>INV-{yyyy}</c> keeps one series per year. Default <c>INV</c>.</summary>
    public string InvoiceSeries { get; set; } = "INV";

    /// <summary>Prefix of the credit note number series (<c>CN-000001</c>); may contain {yyyy}. Default <c>CN</c>.</summary>
    public string CreditNoteSeries { get; set; } = "CN";

    /// <summary>How partial periods are prorated: MonthlyDaily (default), Daily, Fixed30 or Thirty360.</summary>
    public Schedules.ProrationMethod Proration { get; set; } = Schedules.ProrationMethod.MonthlyDaily;

    /// <summary>Day of the month billing periods start on, 1-31 (31 = the month's last day). Default 1.</summary>
    public int BillingDayOfMonth { get; set; } = 1;

    /// <summary>Where VAT is rounded: PerRateOnDocument (default, EN 16931) or PerLine.</summary>
    public Invoices.TaxRounding TaxRounding { get; set; } = Invoices.TaxRounding.PerRateOnDocument;

    /// <summary>
    /// The language of documents (en, es, de or da) for buyers whose account maps none (accountLanguage) and whose billing
    /// country speaks none of these. Default <c>en</c>.
    /// </summary>
    public string DocumentLanguage { get; set; } = "en";

    /// <summary>
    /// Whether the UBL files of buyers in Germany carry XRechnung's customization id (the German CIUS of EN 16931, which
    /// public buyers require) instead of Peppol BIS Billing 3.0's. Default false.
    /// </summary>
    public bool XRechnungForGermanBuyers { get; set; }

    /// <summary>
    /// The companies that issue documents, each with its own series (Salesforce Billing's Legal Entity); an order chooses
    /// one by its legalEntity input, else the first bills it. When empty, <see cref="Seller"/>, <see cref="InvoiceSeries"/>
    /// and <see cref="CreditNoteSeries"/> make the one entity.
    /// </summary>
    public List<LegalEntities.LegalEntityOptions> LegalEntities { get; set; } = [];

    /// <summary>The seller printed on every invoice (when no LegalEntities are configured).</summary>
    public SellerOptions Seller { get; set; } = new();

    /// <summary>
    /// Bill an order's charges due today as soon as it is activated (or changed), between scheduled runs, rather than
    /// at the next run. Takes effect within seconds with change events on (Connector:ChangeEvents), else at the next poll.
    /// Default false.
    /// </summary>
    public bool InvoiceOnActivation { get; set; }
}
