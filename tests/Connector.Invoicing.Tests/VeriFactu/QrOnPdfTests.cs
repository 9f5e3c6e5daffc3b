using System.Diagnostics;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.VeriFactu;
using SkiaSharp;
using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Connector.Invoicing.Tests.VeriFactu;

/// <summary>
/// The VERI*FACTU QR code as printed: the PDF's first page is turned into a picture (pdftoppm, as a scanner would see
/// it) and the code read back with ZXing; it must hold AEAT's validation URL for the invoice, sit at the top of page 1
/// between its two texts, and measure 30 to 40 mm.
/// </summary>
[TestFixture]
public sealed class QrOnPdfTests
{
    [TestCase(false, "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B87654321&numserie=INV%2F2026-000042&fecha=01-03-2026&importe=2986.28")]
    [TestCase(true, "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B87654321&numserie=INV%2F2026-000042&fecha=01-03-2026&importe=2986.28")]
    public void Draw_VeriFactuInvoice_PrintsAQrThatReadsBackAsAeatsUrlForIt(bool production, string expected)
    {
        var invoice = Invoice();
        var url = QrUrl.For("B87654321", invoice.Number, invoice.IssueDate, invoice.Total.Value, testHost: !production);
        var pdf = PdfRenderer.Draw(PrintedDocument.Of(invoice) with { VeriFactuQr = url }).Pdf;

        var decoded = Decode(Rasterize(pdf, dpi: 150));

        Assert.That(url, Is.EqualTo(expected));
        Assert.That(decoded, Is.EqualTo(expected));
    }

    [Test]
    public void Draw_VeriFactuInvoice_PrintsTheWordingAboveAndBelowOnPageOneOnly()
    {
        var invoice = Invoice();
        var pdf = PdfRenderer.Draw(PrintedDocument.Of(invoice) with { VeriFactuQr = QrUrl.For("B87654321", invoice.Number, invoice.IssueDate, invoice.Total.Value) }).Pdf;

        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        var words = page.GetWords().ToList();
        var label = words.First(w => w.Text == "tributario:");
        var mark = words.First(w => w.Text == "VERI*FACTU");
        var title = words.First(w => w.Text == "FACTURA");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(label.BoundingBox.Bottom, Is.GreaterThan(mark.BoundingBox.Top + PdfRenderer.QrSide), "the label above, the mark below, the code between them");
            Assert.That(mark.BoundingBox.Bottom, Is.GreaterThan(title.BoundingBox.Top), "near the top: above the document's title");
            Assert.That(PdfRenderer.QrSide / 72f * 25.4f, Is.InRange(30f, 40f), "30 to 40 mm");
            Assert.That(document.NumberOfPages == 1 || document.GetPages().Skip(1).All(p => !p.Text.Contains("VERI*FACTU", StringComparison.Ordinal)), Is.True);
        }
    }

    [Test]
    public void Draw_WithoutVeriFactu_PrintsNoQr()
    {
        using var document = PdfDocument.Open(PdfRenderer.Render(Invoice()));

        Assert.That(document.GetPage(1).Text, Does.Not.Contain("VERI*FACTU").And.Not.Contain("tributario"));
    }

    private static string? Decode(SKBitmap bitmap)
    {
        using (bitmap)
        {
            var pixels = bitmap.Copy(SKColorType.Bgra8888);
            var source = new RGBLuminanceSource(pixels.Bytes, pixels.Width, pixels.Height, RGBLuminanceSource.BitmapFormat.BGRA32);
            var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
            return result?.Text;
        }
    }

    /// <summary>The PDF's first page as a picture, drawn by poppler's pdftoppm.</summary>
    private static SKBitmap Rasterize(byte[] pdf, int dpi)
    {
        var folder = Directory.CreateTempSubdirectory("qr-");
        try
        {
            var input = Path.Combine(folder.FullName, "page.pdf");
            File.WriteAllBytes(input, pdf);
            var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-png", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", input, Path.Combine(folder.FullName, "page") })
            {
                start.ArgumentList.Add(argument);
            }

            Process? process;
            try
            {
                process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception) when (Environment.GetEnvironmentVariable("CONNECTOR_REQUIRE_EINVOICING") != "1")
            {
                Assert.Ignore("pdftoppm (Debian's poppler-utils) is not installed: the QR cannot be read back from the PDF.");
                throw;
            }

            using (process)
            {
                process!.WaitForExit();
                Assert.That(process.ExitCode, Is.Zero, process.StandardError.ReadToEnd());
            }

            return SKBitmap.Decode(Path.Combine(folder.FullName, "page.png"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Invoice Invoice()
    {
        var lines = Enumerable.Range(1, 2).Select(i => new InvoiceLine(i, "801", "802-" + i, $"Product {i}",
            new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), i, 1m, Amount.FromMinorUnits(123_400, Currency.Eur), 21m, "test")).ToList();
        return new Invoice
        {
            Id = 42, Number = "INV/2026-000042", AccountId = "001A",
            Seller = new Party("Ejemplo Software SL", "B87654321", "Calle de Serrano 41", "Madrid", "28001", "ES"),
            Buyer = new Party("Acme Iberia SL", "B12345674", "Calle de Alcalá 42", "Madrid", "28014", "ES", "es"),
            Currency = Currency.Eur, IssueDate = new DateOnly(2026, 3, 1), DueDate = new DateOnly(2026, 3, 31), Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument),
        };
    }
}
