using QRCoder;
using SkiaSharp;

namespace Connector.Invoicing.Documents;

/// <summary>
/// The VERI*FACTU QR code (Orden HAC/1177/2024 art. 20-21): on page 1 only, at the top, centred; "QR tributario:" above
/// it and "VERI*FACTU" below it in the body's type size; 32 mm square with error correction M and a quiet zone of four
/// modules (over 2 mm). Drawn as vector squares, so it stays sharp at any zoom and costs a few hundred bytes.
/// </summary>
internal static partial class PdfRenderer
{
    /// <summary>The symbol's side: 32 mm in points (AEAT allows 30 to 40 mm).</summary>
    internal const float QrSide = 32f * 72f / 25.4f;

    private sealed partial class Writer
    {
        /// <summary>Draws the QR block when the document has one; returns the y below it (or the top margin).</summary>
        private float VeriFactuQr()
        {
            if (printed.VeriFactuQr is not { } url)
            {
                return 0f;
            }

            using var generator = new QRCodeGenerator();
            using var code = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
            var matrix = code.ModuleMatrix; // with its quiet zone of 4 modules on each side
            const int quiet = 4;
            var modules = matrix.Count - (2 * quiet);
            var module = QrSide / modules;
            var centre = PageWidth / 2;
            var top = Margin - 14f;
            Text(language.Text("verifactu.qrLabel"), centre, top, _regular, SKTextAlign.Center);
            var left = centre - (QrSide / 2);
            var symbolTop = top + 6f + (quiet * module);
            for (var row = 0; row < modules; row++)
            {
                // One box per run of dark modules in a row.
                var column = 0;
                while (column < modules)
                {
                    if (!matrix[row + quiet][column + quiet])
                    {
                        column++;
                        continue;
                    }

                    var start = column;
                    while (column < modules && matrix[row + quiet][column + quiet])
                    {
                        column++;
                    }

                    _pages.Box(0, SKRect.Create(left + (start * module), symbolTop + (row * module), (column - start) * module, module), SKColors.Black);
                }
            }

            var bottom = symbolTop + QrSide + (quiet * module);
            Text("VERI*FACTU", centre, bottom + 6f, _regular, SKTextAlign.Center);
            return bottom + 6f + LineHeight;
        }
    }
}
