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

    /// <summary>The company's electronic address (its Peppol participant id), e.g. ESB12345678 with scheme 9920.</summary>
    public string? EndpointId { get; set; }

    /// <summary>The 4-digit ISO 6523 / Peppol EAS code of <see cref="EndpointId"/>, e.g. 9920 (Spanish VAT), 0088 (GLN).</summary>
    public string? EndpointScheme { get; set; }

    /// <summary>
    /// Whether this company keeps VERI*FACTU registration records (Spain, RD 1007/2023): each invoice and credit note it
    /// issues is registered in a chain and prints AEAT's QR code. Needs a Spanish NIF as TaxId and Country ES.
    /// </summary>
    public bool VeriFactu { get; set; }

    public Invoices.Party ToParty() => new(Name, TaxId, Street, City, PostalCode, Country, EndpointId: EndpointId, EndpointScheme: EndpointScheme);

    /// <summary>What is wrong with the electronic address settings under <paramref name="at"/>, one line each.</summary>
    public IEnumerable<string> EndpointFailures(string at)
    {
        if ((EndpointId is null) != (EndpointScheme is null))
        {
            yield return $"{at}:{(EndpointId is null ? "EndpointId" : "EndpointScheme")} is missing: an electronic address needs both EndpointId and EndpointScheme.";
        }

        if (EndpointScheme is { } scheme && !(scheme.Length == 4 && scheme.All(char.IsAsciiDigit)))
        {
            yield return $"{at}:EndpointScheme = '{scheme}' is not allowed: use a 4-digit ISO 6523 / Peppol EAS code, e.g. 9920 (Spanish VAT), 0088 (GLN).";
        }

        if (VeriFactu && Connector.Invoicing.VeriFactu.Nif.Of(TaxId) is null)
        {
            yield return $"{at}:TaxId = '{TaxId}' is not allowed with VeriFactu on: VERI*FACTU records need the Spanish NIF (9 characters, e.g. B87654321).";
        }

        if (VeriFactu && !string.Equals(Country?.Trim(), "ES", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{at}:Country = '{Country}' is not allowed with VeriFactu on: VERI*FACTU is for companies in Spain (ES).";
        }
    }
}

/// <summary>The issuing company when no legal entities are configured (Connector:Billing:Seller).</summary>
internal sealed class SellerOptions : PartyOptions
{
    public SellerOptions() => Name = "Your Company Ltd";
}
