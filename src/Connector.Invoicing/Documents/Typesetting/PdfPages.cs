using SkiaSharp;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// A document laid out page by page before anything is drawn: text, rules, filled boxes and images recorded in order.
/// Recording first lets a page say "page x of y" and lets <see cref="WritePdf"/> embed each font cut down to the glyphs
/// the document uses (<see cref="SubsetCache"/>). Deterministic: the same pages give the same bytes.
/// </summary>
internal sealed class PdfPages
{
    private readonly List<List<Operation>> _pages = [];
    private readonly List<string> _replaced = [];

    public PdfPages(float width, float height) => (Width, Height) = (width, height);

    public float Width { get; }

    public float Height { get; }

    public int Count => _pages.Count;

    /// <summary>Characters no shipped font has, drawn as U+FFFD, in the order met.</summary>
    public IReadOnlyList<string> Replaced => _replaced;

    public void NewPage() => _pages.Add([]);

    /// <summary>Records a line of text with its left, centre or right end at <paramref name="x"/>; returns its width.</summary>
    public float Text(int page, ShapedText text, float x, float y, SKTextAlign align, SKColor color)
    {
        var left = align switch
        {
            SKTextAlign.Right => x - text.Width,
            SKTextAlign.Center => x - (text.Width / 2),
            _ => x,
        };
        _pages[page].Add(new TextOperation(text, left, y, color));
        _replaced.AddRange(text.Replaced);
        return text.Width;
    }

    public void Line(int page, float x0, float y0, float x1, float y1, SKColor color, float width) =>
        _pages[page].Add(new LineOperation(new SKPoint(x0, y0), new SKPoint(x1, y1), color, width));

    public void Box(int page, SKRect rect, SKColor color) => _pages[page].Add(new BoxOperation(rect, color));

    public void Image(int page, SKImage image, SKRect rect) => _pages[page].Add(new ImageOperation(image, rect));

    /// <summary>Draws the recorded pages into a PDF.</summary>
    public byte[] WritePdf(SKDocumentPdfMetadata metadata)
    {
        var leases = new Dictionary<ShippedFont, SubsetCache.Lease>();
        try
        {
            foreach (var runs in _pages.SelectMany(p => p.OfType<TextOperation>()).SelectMany(t => t.Text.Runs).GroupBy(r => r.Font))
            {
                leases.Add(runs.Key, SubsetCache.Shared.Rent(runs.Key, runs.SelectMany(r => r.Glyphs)));
            }

            var subsets = leases.ToDictionary(l => l.Key, l => l.Value.Typeface);
            using var stream = new MemoryStream();
            using (var document = SKDocument.CreatePdf(stream, metadata))
            {
                using var paint = new SKPaint { IsAntialias = true };
                foreach (var page in _pages)
                {
                    var canvas = document.BeginPage(Width, Height);
                    foreach (var operation in page)
                    {
                        Draw(canvas, operation, paint, subsets);
                    }

                    document.EndPage();
                }

                document.Close();
            }

            return stream.ToArray();
        }
        finally
        {
            foreach (var lease in leases.Values)
            {
                lease.Dispose();
            }
        }
    }

    private static void Draw(SKCanvas canvas, Operation operation, SKPaint paint, Dictionary<ShippedFont, SKTypeface> subsets)
    {
        switch (operation)
        {
            case TextOperation text:
                paint.Color = text.Color;
                paint.Style = SKPaintStyle.Fill;
                using (var blob = Blob(text, subsets))
                {
                    if (blob is not null)
                    {
                        canvas.DrawText(blob, text.X, text.Y, paint);
                    }
                }

                break;
            case LineOperation line:
                paint.Color = line.Color;
                paint.StrokeWidth = line.Width;
                paint.Style = SKPaintStyle.Stroke;
                canvas.DrawLine(line.From, line.To, paint);
                break;
            case BoxOperation box:
                paint.Color = box.Color;
                paint.Style = SKPaintStyle.Fill;
                canvas.DrawRect(box.Rect, paint);
                break;
            case ImageOperation image:
                canvas.DrawImage(image.Image, image.Rect, new SKSamplingOptions(SKFilterMode.Linear));
                break;
        }
    }

    private static SKTextBlob? Blob(TextOperation operation, Dictionary<ShippedFont, SKTypeface> subsets)
    {
        using var builder = new SKTextBlobBuilder();
        var any = false;
        foreach (var run in operation.Text.Runs.Where(r => r.Glyphs.Length > 0))
        {
            using var font = new SKFont(subsets[run.Font], operation.Text.Size) { Subpixel = true, LinearMetrics = true };
            var buffer = builder.AllocatePositionedTextRun(font, run.Glyphs.Length, run.Utf8.Length);
            buffer.SetGlyphs(run.Glyphs);
            buffer.SetPositions(run.Positions);
            buffer.SetText(run.Utf8);
            buffer.SetClusters(run.Clusters);
            any = true;
        }

        return any ? builder.Build() : null;
    }

    private abstract record Operation;

    private sealed record TextOperation(ShapedText Text, float X, float Y, SKColor Color) : Operation;

    private sealed record LineOperation(SKPoint From, SKPoint To, SKColor Color, float Width) : Operation;

    private sealed record BoxOperation(SKRect Rect, SKColor Color) : Operation;

    private sealed record ImageOperation(SKImage Image, SKRect Rect) : Operation;
}
