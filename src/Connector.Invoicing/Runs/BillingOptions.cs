using System.ComponentModel.DataAnnotations;

namespace Connector.Invoicing.Runs;

/// <summary>How invoices are made. Bound from <c>Connector:Billing</c>.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Connector:Billing";

    /// <summary>IANA time zone that decides "today" for invoice runs. Default <c>UTC</c>.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Prefix of the invoice number series; numbers read <c>INV-000001</c>. Default <c>INV</c>.</summary>
    [Required]
    [RegularExpression("^[A-Z0-9][A-Z0-9_-]{0,19}$", ErrorMessage = "use 1-20 upper-case letters, digits, '-' or '_'")]
    public string InvoiceSeries { get; set; } = "INV";

    /// <summary>The seller printed on every invoice.</summary>
    public SellerOptions Seller { get; set; } = new();
}
