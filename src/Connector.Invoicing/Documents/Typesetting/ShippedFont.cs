using System.Runtime.InteropServices;
using HarfBuzzSharp;
using SkiaSharp;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// One font the repository ships (see Documents/Fonts/README.md), loaded once: its bytes, its HarfBuzz face for shaping
/// and subsetting, and the design units per em that positions are scaled from. Immutable after loading, so every
/// rendering thread shares it. Loaded explicitly: SkiaSharp's NoDependencies native assets have an empty default
/// typeface, which would silently drop every glyph.
/// </summary>
internal sealed class ShippedFont
{
    private static readonly Lazy<ShippedFont> RegularFont = new(() => new ShippedFont("DejaVuSans.ttf"));
    private static readonly Lazy<ShippedFont> BoldFont = new(() => new ShippedFont("DejaVuSans-Bold.ttf"));
    private static readonly Lazy<ShippedFont> CjkFont = new(() => new ShippedFont("DroidSansFallback.ttf"));

    private readonly Blob _blob;

    private ShippedFont(string fileName)
    {
        FileName = fileName;
        var resource = "Connector.Invoicing.Fonts." + fileName;
        using (var stream = typeof(ShippedFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded font {resource} is missing."))
        {
            _blob = NativeBlob(stream);
        }

        Face = new Face(_blob, 0);
        Face.MakeImmutable();
        UnitsPerEm = Face.UnitsPerEm;
        Shaping = new Font(Face);
        Shaping.SetScale(UnitsPerEm, UnitsPerEm);
        BasicLatinGlyphEnd = Enumerable.Range(0x20, 0x7F - 0x20).Max(c => Shaping.TryGetNominalGlyph(c, out var glyph) ? (int)glyph + 1 : 0);
        using var data = SKData.CreateCopy(_blob.AsSpan());
        Whole = SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Font {fileName} could not be loaded.");
    }

    /// <summary>DejaVu Sans: Latin, Greek, Cyrillic, Hebrew, Arabic.</summary>
    public static ShippedFont Regular => RegularFont.Value;

    /// <summary>DejaVu Sans Bold.</summary>
    public static ShippedFont Bold => BoldFont.Value;

    /// <summary>Droid Sans Fallback: Chinese, Japanese, Korean.</summary>
    public static ShippedFont Cjk => CjkFont.Value;

    public string FileName { get; }

    public Face Face { get; }

    /// <summary>A HarfBuzz font at one unit per design unit; shaped advances are scaled by size / <see cref="UnitsPerEm"/>.</summary>
    public Font Shaping { get; }

    public int UnitsPerEm { get; }

    /// <summary>One past the last glyph id of printable ASCII, U+0020-U+007E (0 when the font has none of it).</summary>
    public int BasicLatinGlyphEnd { get; }

    /// <summary>The whole font as Skia sees it: for measuring only, never for drawing into a PDF (it would embed 0.7-4 MB).</summary>
    public SKTypeface Whole { get; }

    /// <summary>Whether the font has a glyph for the character.</summary>
    public bool Has(int codePoint) => Shaping.TryGetNominalGlyph(codePoint, out var glyph) && glyph != 0;

    /// <summary>
    /// The font's bytes in native memory HarfBuzz may keep a pointer to. (HarfBuzzSharp's Blob.FromStream points at a
    /// managed array it pins only while constructing: after a garbage collection moves the array, HarfBuzz reads
    /// garbage; the subsetter then silently dropped the glyph outlines.) Freed when HarfBuzz releases the blob.
    /// </summary>
    private static unsafe Blob NativeBlob(Stream stream)
    {
        var length = checked((int)stream.Length);
        var memory = (IntPtr)NativeMemory.Alloc((nuint)length);
        stream.ReadExactly(new Span<byte>((void*)memory, length));
        var blob = new Blob(memory, length, MemoryMode.ReadOnly, () => NativeMemory.Free((void*)memory));
        blob.MakeImmutable();
        return blob;
    }

    /// <summary>The fonts tried in order for text drawn in this weight.</summary>
    public static IReadOnlyList<ShippedFont> Chain(bool bold) => bold ? [Bold, Regular, Cjk] : [Regular, Cjk];
}
