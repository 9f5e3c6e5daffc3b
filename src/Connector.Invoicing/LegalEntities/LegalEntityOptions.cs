namespace Connector.Invoicing.LegalEntities;

/// <summary>One legal entity as configured (Connector:Billing:LegalEntities:N).</summary>
internal sealed class LegalEntityOptions : Runs.PartyOptions
{
    /// <summary>The value an order's legalEntity input holds to choose this entity (e.g. ES, or the entity's name).</summary>
    public string Key { get; set; } = "";

    /// <summary>Prefix of the entity's invoice numbers (see Connector:Billing:InvoiceSeries). Required.</summary>
    public string InvoiceSeries { get; set; } = "";

    /// <summary>Prefix of the entity's credit note numbers. Required.</summary>
    public string CreditNoteSeries { get; set; } = "";

    /// <summary>A PNG or JPEG file printed at the top of each document.</summary>
    public string? LogoPath { get; set; }

    /// <summary>#RRGGBB: the title and the table rules.</summary>
    public string? AccentColor { get; set; }

    public string? Iban { get; set; }

    public string? Bic { get; set; }

    /// <summary>A line printed at the bottom of every page (commercial registry, share capital...).</summary>
    public string? Footer { get; set; }
}
