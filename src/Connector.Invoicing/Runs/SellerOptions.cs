namespace Connector.Invoicing.Runs;

/// <summary>The issuing company as invoices name it (the legal minimum: name, tax id, address).</summary>
internal sealed class SellerOptions
{
    public string Name { get; set; } = "Your Company Ltd";

    public string? TaxId { get; set; }

    public string? Street { get; set; }

    public string? City { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }
}
