using System.Globalization;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.LegalEntities;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.EInvoices;

/// <summary>Payment, totals and lines of a UBL document, and the element helpers.</summary>
internal static partial class UblWriter
{
    private sealed partial class Writer
    {
        /// <summary>
        /// Where the supply went (BG-15): the buyer's address. Written for intra-Community supplies (category K), whose
        /// rules ask for the deliver-to country (BR-IC-12); a service's place of supply is the buyer's.
        /// </summary>
        private void Delivery()
        {
            if (!_document.Taxes.Any(t => VatCategory.Of(t.RatePercent, t.ExemptReason).Code == "K"))
            {
                return;
            }

            Aggregate("Delivery", () => Aggregate("DeliveryLocation", () => Aggregate("Address", () =>
            {
                Optional("StreetName", printed.Buyer.Street);
                Optional("CityName", printed.Buyer.City);
                Optional("PostalZone", printed.Buyer.PostalCode);
                Aggregate("Country", () => Basic("IdentificationCode", (printed.Buyer.Country ?? "").Trim().ToUpperInvariant()));
            })));
        }

        /// <summary>Credit transfer to the issuing entity's IBAN (BG-16/BG-17), the document number as remittance information (BT-83).</summary>
        private void PaymentMeans()
        {
            if (_invoice is null || printed.Branding.Iban is not { } iban)
            {
                return;
            }

            Aggregate("PaymentMeans", () =>
            {
                // 58: SEPA credit transfer (a euro payment); 30: any other credit transfer (UNCL 4461).
                Basic("PaymentMeansCode", _document.Currency.Code == "EUR" ? "58" : "30");
                Basic("PaymentID", _document.Number);
                Aggregate("PayeeFinancialAccount", () =>
                {
                    Basic("ID", BankAccount.Compact(iban));
                    if (printed.Branding.Bic is { } bic)
                    {
                        Aggregate("FinancialInstitutionBranch", () => Basic("ID", bic.Trim().ToUpperInvariant()));
                    }
                });
            });
        }

        /// <summary>The payment terms (BT-20): each installment's date and amount, or for a credit note what it is for.</summary>
        private void PaymentTerms()
        {
            string note;
            if (_invoice is not null)
            {
                var schedule = _invoice.DueSchedule;
                note = schedule.Count == 1
                    ? $"Payable by {Date(_invoice.DueDate)}."
                    : "Installments: " + string.Join("; ", schedule.Select(i => $"{i.Number}) {i.Amount.ToPlainString()} {_document.Currency.Code} by {Date(i.DueDate)}")) + ".";
            }
            else
            {
                note = "Credited to the buyer's account: applied to open invoices or refunded.";
            }

            Aggregate("PaymentTerms", () => Basic("Note", note));
        }

        private void Totals()
        {
            Aggregate("TaxTotal", () =>
            {
                AmountElement("TaxAmount", _document.Tax);
                foreach (var (category, rate, taxBase, tax) in Breakdown())
                {
                    Aggregate("TaxSubtotal", () =>
                    {
                        AmountElement("TaxableAmount", taxBase);
                        AmountElement("TaxAmount", tax);
                        TaxCategory("TaxCategory", category, rate, withReason: true);
                    });
                }
            });

            // IRPF is UBL's withholding tax (the invoice's own element; EN 16931 only warns of it, UBL-CR-513). What the
            // buyer keeps back is shown as prepaid (BT-113), so the amount due (BT-115) is the posted amount payable.
            if (_invoice is not null && _document.Withholdings.Count > 0)
            {
                Aggregate("WithholdingTaxTotal", () =>
                {
                    AmountElement("TaxAmount", _document.Withheld);
                    foreach (var withholding in _document.Withholdings)
                    {
                        Aggregate("TaxSubtotal", () =>
                        {
                            AmountElement("TaxableAmount", withholding.Base);
                            AmountElement("TaxAmount", withholding.Withheld);
                            Aggregate("TaxCategory", () =>
                            {
                                Basic("Percent", Number(withholding.RatePercent));
                                Aggregate("TaxScheme", () => Basic("ID", "IRPF"));
                            });
                        });
                    }
                });
            }

            Aggregate("LegalMonetaryTotal", () =>
            {
                AmountElement("LineExtensionAmount", _document.Net);
                AmountElement("TaxExclusiveAmount", _document.Net);
                AmountElement("TaxInclusiveAmount", _document.Total);
                if (!_document.Withheld.IsZero)
                {
                    AmountElement("PrepaidAmount", _document.Withheld);
                }

                AmountElement("PayableAmount", _document.Payable);
            });
        }

        /// <summary>
        /// A line: its posted net (BT-131), the quantity, and the net price (BT-146) that gives the net at that quantity
        /// (a negative line, a discount, counts a negative quantity: prices are never negative, BR-27). The line's
        /// explanation of its amount is its note (BT-127), its service period the line period (BG-26).
        /// </summary>
        private void Line(InvoiceLine line)
        {
            var category = VatCategory.Of(line.TaxRatePercent, line.TaxExemptReason);
            var quantity = line.Quantity == 0m ? 1m : Math.Abs(line.Quantity);
            if (line.Net.IsNegative)
            {
                quantity = -quantity;
            }

            var price = decimal.Round(Math.Abs(line.Net.Value) / Math.Abs(quantity), 10, MidpointRounding.AwayFromZero);
            Aggregate(_note is null ? "InvoiceLine" : "CreditNoteLine", () =>
            {
                Basic("ID", line.LineNumber.ToString(CultureInfo.InvariantCulture));
                Optional("Note", line.Explanation);
                BasicWith(_note is null ? "InvoicedQuantity" : "CreditedQuantity", Number(quantity), "unitCode", UnitCode);
                AmountElement("LineExtensionAmount", line.Net);
                Aggregate("InvoicePeriod", () =>
                {
                    Basic("StartDate", Date(line.Period.Start));
                    Basic("EndDate", Date(line.Period.End));
                });
                Aggregate("Item", () =>
                {
                    Basic("Name", line.Description);
                    TaxCategory("ClassifiedTaxCategory", category, line.TaxRatePercent, withReason: false);
                });
                Aggregate("Price", () => BasicWith("PriceAmount", Number(price), "currencyID", _document.Currency.Code));
            });
        }

        private void TaxCategory(string element, VatCategory category, decimal rate, bool withReason) =>
            Aggregate(element, () =>
            {
                Basic("ID", category.Code);
                if (category.HasRate)
                {
                    Basic("Percent", Number(rate));
                }

                if (withReason)
                {
                    Optional("TaxExemptionReasonCode", category.ReasonCode);
                    Optional("TaxExemptionReason", category.ReasonText);
                }

                Aggregate("TaxScheme", () => Basic("ID", "VAT"));
            });

        private void Aggregate(string name, Action content)
        {
            xml.WriteStartElement("cac", name, Cac);
            content();
            xml.WriteEndElement();
        }

        private void Basic(string name, string value) => xml.WriteElementString("cbc", name, Cbc, value);

        /// <summary>An element only when it has a value: Peppol allows no empty elements (R008).</summary>
        private void Optional(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                Basic(name, value.Trim());
            }
        }

        private void BasicWith(string name, string value, string attribute, string attributeValue)
        {
            xml.WriteStartElement("cbc", name, Cbc);
            xml.WriteAttributeString(attribute, attributeValue);
            xml.WriteString(value);
            xml.WriteEndElement();
        }

        private void AmountElement(string name, Amount amount) => BasicWith(name, amount.ToPlainString(), "currencyID", amount.Currency.Code);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A decimal as XML writes it: invariant, no exponent, no trailing zeros.</summary>
    private static string Number(decimal value) => DecimalText.Plain(value);
}
