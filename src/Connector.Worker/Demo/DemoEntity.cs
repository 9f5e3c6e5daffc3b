using Connector.Invoicing.Documents.Typesetting;
using SkiaSharp;

namespace Connector.Worker.Demo;

/// <summary>
/// The demo's seller: a Spanish company (the default tax rules are a Spanish seller's), with a logo drawn here, an
/// accent colour, its bank account and registry footer, numbered INV / CN.
/// </summary>
internal static class DemoEntity
{
    public const string Key = "ES";

    /// <summary>The Connector:Billing:LegalEntities:0 settings; the logo is written into <paramref name="directory"/>.</summary>
    public static Dictionary<string, string?> Settings(string directory)
    {
        var logo = Path.Combine(directory, "demo-logo.png");
        File.WriteAllBytes(logo, Logo());
        const string at = "Connector:Billing:LegalEntities:0:";
        return new Dictionary<string, string?>
        {
            [at + "Key"] = Key,
            [at + "Name"] = "Ejemplo Software SL",
            [at + "TaxId"] = "B87654321",
            [at + "EndpointId"] = "ESB87654321",
            [at + "EndpointScheme"] = "9920",
            [at + "Street"] = "Calle de Serrano 41",
            [at + "City"] = "Madrid",
            [at + "PostalCode"] = "28001",
            [at + "Country"] = "ES",
            [at + "InvoiceSeries"] = "INV",
            [at + "CreditNoteSeries"] = "CN",
            [at + "LogoPath"] = logo,
            [at + "AccentColor"] = "#0B5FFF",
            [at + "Iban"] = "ES91 2100 0418 4502 0005 1332",
            [at + "Bic"] = "CAIXESBBXXX",
            [at + "Footer"] = "Ejemplo Software SL · Reg. Merc. Madrid, T. 12345, F. 67, H. M-123456",
            // Registered in Spain: its documents are VERI*FACTU records, chained, and print AEAT's QR code (test host).
            [at + "VeriFactu"] = "true",
            ["Connector:VeriFactu:ProducerName"] = "Ejemplo Software SL",
            ["Connector:VeriFactu:ProducerNif"] = "B87654321",
        };
    }

    /// <summary>A 300 x 80 PNG: a blue tile with an E, and the company's name.</summary>
    private static byte[] Logo()
    {
        using var bitmap = new SKBitmap(300, 80);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        using var blue = new SKPaint { Color = new SKColor(0x0B, 0x5F, 0xFF), IsAntialias = true };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x5A, 0x62, 0x70), IsAntialias = true };
        canvas.DrawRoundRect(new SKRect(0, 0, 80, 80), 16, 16, blue);
        using var letter = new SKFont(ShippedFont.Bold.Whole, 52);
        using var name = new SKFont(ShippedFont.Bold.Whole, 36);
        using var tagline = new SKFont(ShippedFont.Regular.Whole, 15);
        canvas.DrawText("E", 40, 59, SKTextAlign.Center, letter, white);
        canvas.DrawText("Ejemplo", 96, 44, SKTextAlign.Left, name, blue);
        canvas.DrawText("S O F T W A R E", 98, 68, SKTextAlign.Left, tagline, grey);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
