using System.Globalization;
using System.Text;
using System.Xml;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.EInvoices;
using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// A VERI*FACTU registration record as stored: which issuer's chain it belongs to and where, the fields its fingerprint
/// covers, the fingerprint, and the record itself in AEAT's XML structure (SuministroInformacion.xsd element names), so
/// anyone can recompute the chain from the XML alone. Immutable once written.
/// </summary>
internal sealed record Registro(
    string Kind,
    string IssuerNif,
    string Number,
    string IssueDate,
    string? InvoiceType,
    string? TotalTax,
    string? TotalAmount,
    string? PreviousHuella,
    string GeneratedAt,
    string Huella,
    string Xml)
{
    public const string Alta = "Alta";

    public const string Anulacion = "Anulacion";

    /// <summary>What the next record of the chain names as its previous one.</summary>
    public ChainLink Link => new(IssuerNif, Number, IssueDate, Huella);
}

/// <summary>The previous record of a chain as the next one names it (Encadenamiento/RegistroAnterior).</summary>
internal sealed record ChainLink(string IssuerNif, string Number, string IssueDate, string Huella);

/// <summary>The system that keeps the records (SistemaInformatico), from Connector:VeriFactu.</summary>
internal sealed record SistemaInformatico(string ProducerName, string ProducerNif, string SystemName, string SystemId, string Version, string InstallationNumber)
{
    public static SistemaInformatico From(VeriFactuOptions options, string issuerName, string issuerNif) => new(
        options.ProducerName.Length > 0 ? options.ProducerName : issuerName,
        Nif.Of(options.ProducerNif) ?? issuerNif,
        options.SystemName, options.SystemId.Trim(), options.Version, options.InstallationNumber);
}

/// <summary>
/// Builds RegistroAlta and RegistroAnulacion records. An invoice is TipoFactura F1; a credit note R1 (a correction under
/// art. 80 LIVA: cancellations, changes of the service, usage corrections) or, crediting the account without correcting
/// an invoice, R4, both by differences (TipoRectificativa I) with negative amounts. The VAT breakdown follows the posted
/// tax lines: taxed lines S1 with rate and tax; reverse charge and not-subject supplies (place of supply outside Spain)
/// N2; exemptions E1-E6 by their VATEX code. IRPF is not part of the record (ImporteTotal is base plus VAT).
/// </summary>
internal static class RegistroWriter
{
    public const string Namespace = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd";

    private static readonly TimeZoneInfo Madrid = FindMadrid();

    /// <summary>FechaHoraHusoGenRegistro: the moment in Spain's peninsular time with its offset (e.g. 2024-01-01T19:20:30+01:00).</summary>
    public static string Timestamp(DateTimeOffset now) =>
        TimeZoneInfo.ConvertTime(now, Madrid).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    /// <summary>The RegistroAlta of a posted document, chained after <paramref name="previous"/> (null: the chain's first).</summary>
    public static Registro AltaOf(PostedDocument document, Party seller, Party buyer, ChainLink? previous, DateTimeOffset now, SistemaInformatico system)
    {
        ArgumentNullException.ThrowIfNull(document);
        var nif = Nif.Of(seller.TaxId) ?? throw new InvalidOperationException($"{document.Number}: the seller's tax id '{seller.TaxId}' is not a Spanish NIF; VERI*FACTU needs one.");
        var note = document as CreditNote;
        var sign = note is null ? 1m : -1m;
        var type = note is null ? "F1" : note.CorrectsNumber is null ? "R4" : "R1";
        var (number, issued, generated) = (document.Number, Date(document.IssueDate), Timestamp(now));
        var totalTax = Money(sign * document.Tax.Value);
        var totalAmount = Money(sign * document.Total.Value);
        var huella = Huella.Alta(nif, number, issued, type, totalTax, totalAmount, previous?.Huella, generated);
        var xml = Write("RegistroAlta", w =>
        {
            w.Element("IDVersion", "1.0");
            w.Group("IDFactura", () =>
            {
                w.Element("IDEmisorFactura", nif);
                w.Element("NumSerieFactura", number);
                w.Element("FechaExpedicionFactura", issued);
            });
            w.Element("NombreRazonEmisor", Cut(seller.Name, 120));
            w.Element("TipoFactura", type);
            if (note is not null)
            {
                w.Element("TipoRectificativa", "I");
                if (note.CorrectsNumber is { } corrected && note.CorrectsIssueDate is { } correctedOn)
                {
                    w.Group("FacturasRectificadas", () => w.Group("IDFacturaRectificada", () =>
                    {
                        w.Element("IDEmisorFactura", nif);
                        w.Element("NumSerieFactura", corrected);
                        w.Element("FechaExpedicionFactura", Date(correctedOn));
                    }));
                }
            }

            w.Element("DescripcionOperacion", Cut(Description(document), 500));
            w.Group("Destinatarios", () => w.Group("IDDestinatario", () => Recipient(w, buyer, document.AccountId)));
            w.Group("Desglose", () =>
            {
                foreach (var tax in document.Taxes)
                {
                    w.Group("DetalleDesglose", () => Detail(w, tax, sign));
                }
            });
            w.Element("CuotaTotal", totalTax);
            w.Element("ImporteTotal", totalAmount);
            Chain(w, previous);
            System(w, system);
            w.Element("FechaHoraHusoGenRegistro", generated);
            w.Element("TipoHuella", "01");
            w.Element("Huella", huella);
        });
        return new Registro(Registro.Alta, nif, number, issued, type, totalTax, totalAmount, previous?.Huella, generated, huella, xml);
    }

    /// <summary>The RegistroAnulacion that voids a registered document, chained after <paramref name="previous"/>.</summary>
    public static Registro AnulacionOf(string issuerNif, string number, DateOnly issueDate, ChainLink? previous, DateTimeOffset now, SistemaInformatico system)
    {
        var (issued, generated) = (Date(issueDate), Timestamp(now));
        var huella = Huella.Anulacion(issuerNif, number, issued, previous?.Huella, generated);
        var xml = Write("RegistroAnulacion", w =>
        {
            w.Element("IDVersion", "1.0");
            w.Group("IDFactura", () =>
            {
                w.Element("IDEmisorFacturaAnulada", issuerNif);
                w.Element("NumSerieFacturaAnulada", number);
                w.Element("FechaExpedicionFacturaAnulada", issued);
            });
            Chain(w, previous);
            System(w, system);
            w.Element("FechaHoraHusoGenRegistro", generated);
            w.Element("TipoHuella", "01");
            w.Element("Huella", huella);
        });
        return new Registro(Registro.Anulacion, issuerNif, number, issued, null, null, null, previous?.Huella, generated, huella, xml);
    }

    private static void Recipient(XmlBuilder w, Party buyer, string accountId)
    {
        w.Element("NombreRazon", Cut(buyer.Name, 120));
        var country = buyer.Country?.Trim().ToUpperInvariant();
        if (country == "ES" && Nif.Of(buyer.TaxId) is { } nif)
        {
            w.Element("NIF", nif);
            return;
        }

        // A foreign buyer: its VAT number (IDType 02, NIF-IVA), or with none its account as another document (06).
        w.Group("IDOtro", () =>
        {
            w.Element("CodigoPais", country is { Length: 2 } ? country : "ES");
            w.Element("IDType", buyer.TaxId is null ? "06" : "02");
            w.Element("ID", buyer.TaxId is { } taxId ? UblWriter.VatIdOf(taxId, country) : accountId);
        });
    }

    private static void Detail(XmlBuilder w, TaxLine tax, decimal sign)
    {
        var category = VatCategory.Of(tax.RatePercent, tax.ExemptReason);
        w.Element("Impuesto", "01");
        w.Element("ClaveRegimen", category.Code == "G" ? "02" : "01");
        switch (category.Code)
        {
            case "S" or "Z":
                w.Element("CalificacionOperacion", "S1");
                w.Element("TipoImpositivo", DecimalTextOf(tax.RatePercent));
                w.Element("BaseImponibleOimporteNoSujeto", Money(sign * tax.Base.Value));
                w.Element("CuotaRepercutida", Money(sign * tax.Tax.Value));
                break;
            case "AE" or "O":
                // A service to a business established elsewhere is supplied where the buyer is (art. 69 LIVA): not subject here.
                w.Element("CalificacionOperacion", "N2");
                w.Element("BaseImponibleOimporteNoSujeto", Money(sign * tax.Base.Value));
                break;
            default:
                w.Element("OperacionExenta", category.Code switch { "K" => "E5", "G" => "E2", _ => "E6" });
                w.Element("BaseImponibleOimporteNoSujeto", Money(sign * tax.Base.Value));
                break;
        }
    }

    private static void Chain(XmlBuilder w, ChainLink? previous) =>
        w.Group("Encadenamiento", () =>
        {
            if (previous is null)
            {
                w.Element("PrimerRegistro", "S");
                return;
            }

            w.Group("RegistroAnterior", () =>
            {
                w.Element("IDEmisorFactura", previous.IssuerNif);
                w.Element("NumSerieFactura", previous.Number);
                w.Element("FechaExpedicionFactura", previous.IssueDate);
                w.Element("Huella", previous.Huella);
            });
        });

    private static void System(XmlBuilder w, SistemaInformatico system) =>
        w.Group("SistemaInformatico", () =>
        {
            w.Element("NombreRazon", Cut(system.ProducerName, 120));
            w.Element("NIF", system.ProducerNif);
            w.Element("NombreSistemaInformatico", Cut(system.SystemName, 30));
            w.Element("IdSistemaInformatico", system.SystemId);
            w.Element("Version", system.Version);
            w.Element("NumeroInstalacion", system.InstallationNumber);
            w.Element("TipoUsoPosibleSoloVerifactu", "S");
            w.Element("TipoUsoPosibleMultiOT", "S");
            w.Element("IndicadorMultiplesOT", "N");
        });

    private static string Description(PostedDocument document) =>
        document is CreditNote note ? CreditReasons.Describe(note.Reason, Documents.Languages.DocumentLanguage.Get("es"))
            : string.Join("; ", document.Lines.Select(l => l.Description).Distinct(StringComparer.Ordinal));

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string DecimalTextOf(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Write(string root, Action<XmlBuilder> content)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, IndentChars = "  " }))
        {
            xml.WriteStartElement("sum1", root, Namespace);
            content(new XmlBuilder(xml));
            xml.WriteEndElement();
        }

        return text.ToString();
    }

    private static TimeZoneInfo FindMadrid() =>
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Madrid", out var zone) ? zone : TimeZoneInfo.CreateCustomTimeZone("CET", TimeSpan.FromHours(1), "CET", "CET");

    /// <summary>Elements in AEAT's namespace.</summary>
    private sealed class XmlBuilder(XmlWriter xml)
    {
        public void Element(string name, string value) => xml.WriteElementString("sum1", name, Namespace, value);

        public void Group(string name, Action content)
        {
            xml.WriteStartElement("sum1", name, Namespace);
            content();
            xml.WriteEndElement();
        }
    }
}
