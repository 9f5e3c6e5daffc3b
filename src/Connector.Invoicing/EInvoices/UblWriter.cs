using System.Globalization;
using System.Text;
using System.Xml;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.EInvoices;

/// <summary>
/// Writes a posted invoice or credit note as a UBL 2.1 Invoice or CreditNote conforming to EN 16931 with the Peppol BIS
/// Billing 3.0 customization (or XRechnung's), from the posted document and nothing else: every amount is the posted
/// one, so the totals' arithmetic (BR-CO-10 to BR-CO-16) holds because it held at posting. The same document always
/// gives the same bytes (UTF-8, no BOM, no time stamp).
/// </summary>
internal static partial class UblWriter
{
    public const string PeppolCustomization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";

    public const string XRechnungCustomization = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";

    public const string PeppolProfile = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

    private const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    private const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    private const string InvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";

    private const string CreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    /// <summary>UN/ECE Recommendation 20 "one": the unit every line is counted in.</summary>
    private const string UnitCode = "C62";

    public static string FileName(PostedDocument document) => $"{document.Number}.xml";

    /// <summary>
    /// The UBL file of <paramref name="printed"/>; for a buyer in Germany XRechnung's customization id when
    /// <paramref name="xrechnungForGermanBuyers"/> is set (Connector:Billing:XRechnungForGermanBuyers).
    /// </summary>
    public static byte[] Write(PrintedDocument printed, bool xrechnungForGermanBuyers = false)
    {
        ArgumentNullException.ThrowIfNull(printed);
        var xrechnung = xrechnungForGermanBuyers && string.Equals(printed.Buyer.Country?.Trim(), "DE", StringComparison.OrdinalIgnoreCase);
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  " };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            new Writer(xml, printed, xrechnung ? XRechnungCustomization : PeppolCustomization).Document();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The EN 16931 rules a document's UBL file cannot meet because the posted document lacks the data (rule id, what
    /// is missing and where it comes from). The file is still written, as posted; the cycle reports these so a person
    /// can complete the account or the entity before the next document.
    /// </summary>
    public static IReadOnlyList<(string Rule, string Missing)> Gaps(PrintedDocument printed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        var gaps = new List<(string, string)>();
        if (!IsCountryCode(printed.Seller.Country))
        {
            var missing = $"the seller's country as an ISO 3166 code (the entity's Country{Shown(printed.Seller.Country)})";
            gaps.AddRange(printed.Seller.Country is null ? [("BR-09", missing), ("BR-CL-14", missing)] : [("BR-CL-14", missing)]);
        }

        if (!IsCountryCode(printed.Buyer.Country))
        {
            var missing = $"the buyer's country as an ISO 3166 code (map accountCountry, e.g. Account.BillingCountryCode{Shown(printed.Buyer.Country)})";
            gaps.AddRange(printed.Buyer.Country is null ? [("BR-11", missing), ("BR-CL-14", missing)] : [("BR-CL-14", missing)]);
        }

        var notSubject = printed.Document.Taxes.Any(t => VatCategory.Of(t.RatePercent, t.ExemptReason).NotSubject);
        foreach (var (party, role, source) in new[] { (printed.Seller, "seller", "the entity's TaxId and Country"), (printed.Buyer, "buyer", "map accountTaxId and accountCountry") })
        {
            if (!notSubject && party.TaxId is { } taxId && VatIdOf(taxId, party.Country) is var id && !(id.Length > 2 && char.IsAsciiLetter(id[0]) && char.IsAsciiLetter(id[1])))
            {
                gaps.Add(("BR-CO-09", $"the {role}'s VAT id with its country prefix ({source}; it is '{taxId}')"));
            }
        }

        var categories = printed.Document.Taxes.Select(t => VatCategory.Of(t.RatePercent, t.ExemptReason).Code).Distinct(StringComparer.Ordinal).ToList();
        if (printed.Seller.TaxId is null)
        {
            gaps.Add(("BR-CO-26", "the seller's VAT id (the entity's TaxId)"));
            gaps.AddRange(categories.Where(SellerVatRule.ContainsKey).Select(c => (SellerVatRule[c], $"the seller's VAT id, which VAT category {c} requires (the entity's TaxId)")));
        }

        if (printed.Buyer.TaxId is null)
        {
            gaps.AddRange(categories.Where(BuyerVatRule.ContainsKey).Select(c => (BuyerVatRule[c], $"the buyer's VAT id, which VAT category {c} requires (map accountTaxId)")));
        }

        return gaps;
    }

    /// <summary>The rule that asks for the seller's VAT id where a category is used (BR-S-02 and its siblings).</summary>
    private static readonly Dictionary<string, string> SellerVatRule = new(StringComparer.Ordinal)
    {
        ["S"] = "BR-S-02", ["Z"] = "BR-Z-02", ["E"] = "BR-E-02", ["AE"] = "BR-AE-02", ["K"] = "BR-IC-02", ["G"] = "BR-G-02", ["L"] = "BR-IG-02", ["M"] = "BR-IP-02",
    };

    /// <summary>The rule that asks for the buyer's VAT id where a category is used (reverse charge, intra-Community supply).</summary>
    private static readonly Dictionary<string, string> BuyerVatRule = new(StringComparer.Ordinal) { ["AE"] = "BR-AE-02", ["K"] = "BR-IC-02" };

    /// <summary>A VAT id with its ISO 3166 country prefix (BR-CO-09): a Spanish NIF 'B12345678' becomes 'ESB12345678'; Greece's is 'EL'.</summary>
    internal static string VatIdOf(string taxId, string? country)
    {
        var id = taxId.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        var prefixed = id.Length > 2 && char.IsAsciiLetter(id[0]) && char.IsAsciiLetter(id[1]);
        if (prefixed || country is null)
        {
            return id;
        }

        var prefix = country.Trim().ToUpperInvariant();
        return (prefix == "GR" ? "EL" : prefix) + id;
    }

    private static bool IsCountryCode(string? country) => country?.Trim() is { Length: 2 } code && code.All(char.IsAsciiLetter);

    private static string Shown(string? value) => value is null ? "" : $"; it is '{value}'";

    private sealed partial class Writer(XmlWriter xml, PrintedDocument printed, string customization)
    {
        private readonly PostedDocument _document = printed.Document;

        private readonly CreditNote? _note = printed.Document as CreditNote;

        private readonly Invoice? _invoice = printed.Document as Invoice;

        /// <summary>The breakdown per category and rate (lines with different reasons of one category and rate are one group: BR-E-08 sums them all).</summary>
        private IReadOnlyList<(VatCategory Category, decimal Rate, Amount Base, Amount Tax)> Breakdown() =>
        [
            .. _document.Taxes
                .Select(t => (Category: VatCategory.Of(t.RatePercent, t.ExemptReason), t.RatePercent, t.Base, t.Tax))
                .GroupBy(t => (t.Category.Code, t.RatePercent))
                .Select(g => (g.First().Category, g.Key.RatePercent, Amount.Sum(g.Select(t => t.Base), _document.Currency), Amount.Sum(g.Select(t => t.Tax), _document.Currency))),
        ];

        private bool NotSubject => _document.Taxes.Any(t => VatCategory.Of(t.RatePercent, t.ExemptReason).NotSubject);

        public void Document()
        {
            var root = _note is null ? "Invoice" : "CreditNote";
            xml.WriteStartDocument();
            xml.WriteStartElement(root, _note is null ? InvoiceNamespace : CreditNoteNamespace);
            xml.WriteAttributeString("xmlns", "cac", null, Cac);
            xml.WriteAttributeString("xmlns", "cbc", null, Cbc);
            Basic("CustomizationID", customization);
            Basic("ProfileID", PeppolProfile);
            Basic("ID", _document.Number);
            Basic("IssueDate", Date(_document.IssueDate));
            if (_invoice is not null)
            {
                Basic("DueDate", Date(_invoice.DueDate));
                Basic("InvoiceTypeCode", "380");
            }
            else
            {
                Basic("CreditNoteTypeCode", "381");
            }

            Optional("Note", DocumentNote());
            Basic("DocumentCurrencyCode", _document.Currency.Code);
            Optional("BuyerReference", printed.Buyer.Reference);
            Aggregate("InvoicePeriod", () =>
            {
                // The invoicing period (BG-14): from the first line's service start to the last line's end.
                Basic("StartDate", Date(_document.Lines.Min(l => l.Period.Start)));
                Basic("EndDate", Date(_document.Lines.Max(l => l.Period.End)));
            });
            if (_invoice is not null && _invoice.OrderIds.Count > 0)
            {
                Aggregate("OrderReference", () => Basic("ID", _invoice.OrderIds[0]));
            }

            if (_note?.CorrectsNumber is { } corrected)
            {
                Aggregate("BillingReference", () => Aggregate("InvoiceDocumentReference", () =>
                {
                    Basic("ID", corrected);
                    if (_note.CorrectsIssueDate is { } issued)
                    {
                        Basic("IssueDate", Date(issued));
                    }
                }));
            }

            Aggregate("AccountingSupplierParty", () => PartyElement(printed.Seller));
            Aggregate("AccountingCustomerParty", () => PartyElement(printed.Buyer));
            Delivery();
            PaymentMeans();
            PaymentTerms();
            Totals();
            for (var i = 0; i < _document.Lines.Count; i++)
            {
                Line(_document.Lines[i]);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        /// <summary>One document-level note (Peppol R002 allows one): the credit note's reason and what is withheld.</summary>
        private string? DocumentNote()
        {
            var parts = new List<string>();
            if (_note is not null)
            {
                parts.Add(CreditReasons.Describe(_note.Reason, Documents.Languages.DocumentLanguage.Get(printed.Buyer.Language)));
            }

            foreach (var withholding in _document.Withholdings)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Withholding tax (IRPF) {Number(withholding.RatePercent)} % of {withholding.Base.ToPlainString()}: {withholding.Withheld.ToPlainString()} {_document.Currency.Code}, kept back by the buyer and shown as the prepaid amount (BT-113)."));
            }

            return parts.Count == 0 ? null : string.Join(" ", parts);
        }

        private void PartyElement(Party party)
        {
            Aggregate("Party", () =>
            {
                if (party.EndpointId is { } endpoint && party.EndpointScheme is { } scheme)
                {
                    BasicWith("EndpointID", endpoint, "schemeID", scheme);
                }

                Aggregate("PartyName", () => Basic("Name", party.Name));
                Aggregate("PostalAddress", () =>
                {
                    Optional("StreetName", party.Street);
                    Optional("CityName", party.City);
                    Optional("PostalZone", party.PostalCode);
                    Aggregate("Country", () => Basic("IdentificationCode", (party.Country ?? "").Trim().ToUpperInvariant()));
                });

                // Not subject to VAT (category O): neither VAT id may be given (BR-O-02); the tax id is the legal registration instead.
                if (party.TaxId is { } taxId && !NotSubject)
                {
                    Aggregate("PartyTaxScheme", () =>
                    {
                        Basic("CompanyID", VatIdOf(taxId, party.Country));
                        Aggregate("TaxScheme", () => Basic("ID", "VAT"));
                    });
                }

                Aggregate("PartyLegalEntity", () =>
                {
                    Basic("RegistrationName", party.Name);
                    if (party.TaxId is { } registration && NotSubject)
                    {
                        Basic("CompanyID", registration.Trim());
                    }
                });
            });
        }
    }
}
