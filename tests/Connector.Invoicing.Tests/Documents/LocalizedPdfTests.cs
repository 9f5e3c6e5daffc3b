using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using UglyToad.PdfPig;

namespace Connector.Invoicing.Tests.Documents;

/// <summary>Invoices and credit notes read back from their PDFs in each language: labels, amounts as the language writes them, legal wording.</summary>
[TestFixture]
public sealed class LocalizedPdfTests
{
    [TestCase("es", "FACTURA", "Fecha de expedición: 01/03/2026", "Fecha de vencimiento: 31/03/2026", "Base imponible", "IVA 21% sobre 2.468,00 €", "Total factura", "2.986,28 €", "NIF: B12345678", "01/03/2026 – 31/03/2026", "página 1 de 1")]
    [TestCase("de", "RECHNUNG", "Ausstellungsdatum: 01.03.2026", "Fällig am: 31.03.2026", "Nettobetrag", "USt. 21% auf 2.468,00 €", "Gesamtbetrag", "2.986,28 €", "USt-IdNr.: B12345678", "01.03.2026 – 31.03.2026", "Seite 1 von 1")]
    [TestCase("da", "FAKTURA", "Udstedelsesdato: 01.03.2026", "Forfaldsdato: 31.03.2026", "Nettobeløb", "Moms 21% af 2.468,00 €", "Moms i alt", "2.986,28 €", "CVR/momsnr.: B12345678", "01.03.2026 – 31.03.2026", "side 1 af 1")]
    [TestCase("en", "INVOICE", "Issue date: 2026-03-01", "Due date: 2026-03-31", "Net total", "VAT 21% on 2,468.00 EUR", "VAT total", "2,986.28 EUR", "VAT number: B12345678", "2026-03-01 – 2026-03-31", "page 1 of 1")]
    public void Render_InvoiceInTheBuyersLanguage_PrintsItsLabelsDatesAndAmounts(string language, params string[] expected)
    {
        var invoice = Invoice(language);

        var text = Text(PdfRenderer.Render(invoice));

        Assert.That(expected.Where(e => !text.Contains(e, StringComparison.Ordinal)), Is.Empty, "texts missing from the PDF");
    }

    [TestCase("es", "Retención IRPF 15% sobre 2.468,00 €", "-370,20 €", "Total a pagar", "2.616,08 €")]
    [TestCase("de", "Einbehalt 15% auf 2.468,00 €", "-370,20 €", "Zahlbetrag", "2.616,08 €")]
    public void Render_WithholdingInTheBuyersLanguage_PrintsTheWithholdingAndTheAmountPayable(string language, params string[] expected)
    {
        var plain = Invoice(language);
        var lines = plain.Lines.Select(l => l with { WithholdingPercent = 15m }).ToList();
        var invoice = plain with { Lines = lines, Withholdings = TaxCalculator.Withholdings(lines, Currency.Eur) };

        var text = Text(PdfRenderer.Render(invoice));

        Assert.That(expected.Where(e => !text.Contains(e, StringComparison.Ordinal)), Is.Empty);
    }

    [TestCase("es", "Inversión del sujeto pasivo", "Total IVA")]
    [TestCase("de", "Steuerschuldnerschaft des Leistungsempfängers", "USt. 0%")]
    [TestCase("da", "Omvendt betalingspligt, køber afregner momsen", "Moms i alt")]
    [TestCase("en", "Reverse charge", "VAT total")]
    public void Render_IntraEuReverseCharge_PrintsTheWordingOfTheBuyersLanguageAndNoVat(string language, string wording, string vatLabel)
    {
        var plain = Invoice(language);
        var lines = plain.Lines.Select(l => l with { TaxRatePercent = 0m, TaxExemptReason = PdfRenderer.ReverseChargeCode }).ToList();
        var invoice = plain with { Lines = lines, Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument) };

        var text = Text(PdfRenderer.Render(invoice));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(wording));
            Assert.That(text, Does.Contain("B12345678").And.Contain("DE999999999"), "both VAT ids print");
            Assert.That(text, Does.Not.Contain(PdfRenderer.ReverseChargeCode), "the code is translated, not printed");
            Assert.That(text, Does.Not.Contain(vatLabel).And.Not.Contain("21%"), "under reverse charge the seller shows no VAT rate or amount");
        }
    }

    [Test]
    public void Render_ExemptionReason_PrintsTheReasonAsMapped()
    {
        var plain = Invoice("es");
        var lines = plain.Lines.Select(l => l with { TaxRatePercent = 0m, TaxExemptReason = "Exenta art. 20.Uno.9º LIVA (educación)" }).ToList();
        var invoice = plain with { Lines = lines, Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument) };

        Assert.That(Text(PdfRenderer.Render(invoice)), Does.Contain("Exenta: Exenta art. 20.Uno.9º LIVA (educación)"));
    }

    [TestCase("es", "FACTURA RECTIFICATIVA", "Rectifica la factura INV-000042 de 01/03/2026", "Motivo de la rectificación: Cancelación del pedido 00000101")]
    [TestCase("de", "RECHNUNGSKORREKTUR", "Korrektur der Rechnung INV-000042 vom 01.03.2026", "Grund: Cancelación del pedido 00000101")]
    [TestCase("da", "KREDITNOTA", "Krediterer faktura INV-000042 af 01.03.2026", "Årsag: Cancelación del pedido 00000101")]
    [TestCase("en", "CREDIT NOTE", "Corrects invoice INV-000042 of 2026-03-01", "Reason: Cancelación del pedido 00000101")]
    public void Render_CreditNote_PrintsItsTitleTheCorrectedInvoiceAndTheReason(string language, params string[] expected)
    {
        var invoice = Invoice(language);
        var note = new CreditNote
        {
            Number = "CN-000007", AccountId = invoice.AccountId, Currency = invoice.Currency, IssueDate = new DateOnly(2026, 3, 15),
            Lines = invoice.Lines, Taxes = invoice.Taxes, CorrectsNumber = invoice.Number, CorrectsIssueDate = invoice.IssueDate,
            Reason = "Cancelación del pedido 00000101",
        };

        var rendered = PdfRenderer.Draw(PrintedDocument.Of(note, invoice.Seller, invoice.Buyer));
        var text = Text(rendered.Pdf);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Where(e => !text.Contains(e, StringComparison.Ordinal)), Is.Empty);
            Assert.That(text, Does.Contain("CN-000007"));
            Assert.That(rendered.Pdf.Length, Is.LessThan(40_000));
        }
    }

    [Test]
    public void Render_EntityBranding_PrintsTheLogoTheBankAccountAndTheFooterOnEveryPage()
    {
        var logo = Path.Combine(Path.GetTempPath(), $"logo-{Guid.NewGuid():N}.png");
        using (var bitmap = new SkiaSharp.SKBitmap(120, 40))
        {
            bitmap.Erase(new SkiaSharp.SKColor(0x0B, 0x5F, 0xFF));
            using var png = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(logo, png.ToArray());
        }

        try
        {
            var invoice = Invoice("es");
            var many = invoice with { Lines = [.. Enumerable.Range(1, 70).Select(i => invoice.Lines[0] with { LineNumber = i })] };
            var printed = PrintedDocument.Of(many) with
            {
                Branding = new Connector.Invoicing.LegalEntities.Branding(logo, "#0B5FFF", "es9121000418450200051332", "caixesbbxxx", "Ejemplo Software SL · Registro Mercantil de Madrid, tomo 1, folio 1, hoja M-1"),
            };

            var pdf = PdfRenderer.Draw(printed).Pdf;

            using var document = PdfDocument.Open(pdf);
            var pages = document.GetPages().ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(pages, Has.Count.GreaterThan(1));
                Assert.That(pages[0].GetImages().Count(), Is.EqualTo(1), "the logo, on the first page");
                Assert.That(Text(pdf), Does.Contain("Forma de pago: transferencia bancaria a IBAN ES91 2100 0418 4502 0005 1332, BIC CAIXESBBXXX"));
                Assert.That(pages.Select(p => p.Text), Has.All.Contain("Registro Mercantil de Madrid"), "the footer on every page");
            }
        }
        finally
        {
            File.Delete(logo);
        }
    }

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text)) + "\n" + p.Text));
    }

    private static Invoice Invoice(string language)
    {
        var lines = Enumerable.Range(1, 2).Select(i => new InvoiceLine(i, "801", "802-" + i, $"Product {i}",
            new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), i, 1m, Amount.FromMinorUnits(123_400, Currency.Eur), 21m, "test")).ToList();
        return new Invoice
        {
            Id = 42,
            Number = "INV-000042",
            AccountId = "001A",
            Seller = new Party("Seller Co SL", "B12345678", "Gran Vía 1", "Madrid", "28013", "ES"),
            Buyer = new Party("Buyer GmbH", "DE999999999", "Friedrichstraße 100", "Berlin", "10117", "DE", language),
            Currency = Currency.Eur,
            IssueDate = new DateOnly(2026, 3, 1),
            DueDate = new DateOnly(2026, 3, 31),
            Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument),
        };
    }
}
