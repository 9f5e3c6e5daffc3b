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

    /// <summary>The UBL file of <paramref name="printed"/>; XRechnung's customization id when <paramref name="xrechnung"/> is set.</summary>
    public static byte[] Write(PrintedDocument printed, bool xrechnung = false)
    {
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  " };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            new Writer(xml, printed, xrechnung ? XRechnungCustomization : PeppolCustomization).Document();
        }

        return stream.ToArray();
    }

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
                    Aggregate("Country", () => Basic("IdentificationCode", party.Country ?? ""));
                });

                // Not subject to VAT (category O): neither VAT id may be given (BR-O-02); the tax id is the legal registration instead.
                if (party.TaxId is { } taxId && !NotSubject)
                {
                    Aggregate("PartyTaxScheme", () =>
                    {
                        Basic("CompanyID", VatId(taxId, party.Country));
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

        /// <summary>A VAT id with its ISO 3166 country prefix (BR-CO-09): a Spanish NIF 'B12345678' becomes 'ESB12345678'; Greece's is 'EL'.</summary>
        internal static string VatId(string taxId, string? country)
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
    }
}
