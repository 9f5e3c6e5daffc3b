namespace Connector.Invoicing.Runs;

/// <summary>How invoices are made. Bound from <c>Connector:Billing</c>.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Connector:Billing";

    /// <summary>IANA time zone that decides "today" for invoice runs. Default <c>UTC</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Prefix of the invoice number series; numbers read <c>INV-000001</c>. Default <c>INV</c>.</summary>
    public string InvoiceSeries { get; set; } = "INV";

    /// <summary>The seller printed on every invoice.</summary>
    public SellerOptions Seller { get; set; } = new();
}
