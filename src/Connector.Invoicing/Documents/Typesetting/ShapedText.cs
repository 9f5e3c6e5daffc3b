using SkiaSharp;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// A line of text shaped for drawing: runs of glyphs in visual order, each in one shipped font, with positions
/// relative to the line's start on the baseline, in points.
/// </summary>
/// <param name="Text">The text as given.</param>
/// <param name="Runs">The glyph runs, left to right.</param>
/// <param name="Width">The advance of the whole line.</param>
/// <param name="Size">The font size in points.</param>
/// <param name="Replaced">The characters no shipped font has, drawn as U+FFFD.</param>
internal sealed record ShapedText(string Text, IReadOnlyList<GlyphRun> Runs, float Width, float Size, IReadOnlyList<string> Replaced);

/// <summary>
/// Glyphs of one font with their positions, and the run's text as UTF-8 with each glyph's cluster (the byte offset of
/// the characters it draws), so that the PDF maps glyphs back to text for search, copy and PdfPig.
/// </summary>
internal sealed record GlyphRun(ShippedFont Font, ushort[] Glyphs, SKPoint[] Positions, byte[] Utf8, uint[] Clusters);
