namespace Connector.Invoicing.Runs;

/// <summary>A company as documents name it (the legal minimum: name, tax id, address).</summary>
internal class PartyOptions
{
    public string Name { get; set; } = "";

    public string? TaxId { get; set; }

    public string? Street { get; set; }

    public string? City { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }

    public Invoices.Party ToParty() => new(Name, TaxId, Street, City, PostalCode, Country);
}

/// <summary>The issuing company when no legal entities are configured (Connector:Billing:Seller).</summary>
internal sealed class SellerOptions : PartyOptions
{
    public SellerOptions() => Name = "Your Company Ltd";
}
