using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using Buffer = HarfBuzzSharp.Buffer;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// Turns a line of text into glyphs: each character in the first shipped font that has it (font fallback), right-to-left
/// runs in visual order (<see cref="Bidi"/>), each run shaped by HarfBuzz (Arabic letters joined, marks placed). A
/// character that no font has becomes U+FFFD and is listed in <see cref="ShapedText.Replaced"/>. Thread-safe; lines
/// are cached per thread, because an invoice run draws the same labels, dates and names thousands of times.
/// </summary>
internal static class TextShaper
{
    private const int CacheLimit = 20_000; // per thread: the labels and recent names, about 6 MB at most

    /// <summary>Lines shaped at one point, per thread: no lock between rendering threads (a shared cache was one).</summary>
    [ThreadStatic]
    private static Dictionary<(string Text, bool Bold), ShapedText>? _cache;

    /// <summary>
    /// Discretionary ligatures off: a PDF maps an "fi" ligature glyph back to U+FB01, so "rectificación" would not be
    /// found by search, copy or a reader. Required ligatures (Arabic lam-alef) stay on.
    /// </summary>
    [ThreadStatic]
    private static Buffer? _buffer;

    private static readonly Feature[] Features = [new(new Tag('l', 'i', 'g', 'a'), 0), new(new Tag('c', 'l', 'i', 'g'), 0)];

    /// <summary>The line shaped in the regular or bold face at <paramref name="size"/> points.</summary>
    public static ShapedText Shape(string text, bool bold, float size)
    {
        var unit = AtOnePoint(text, bold);
        return size == 1f ? unit : Scale(unit, size);
    }

    /// <summary>The advance of the line in points (nothing scaled: layout measures far more often than it draws).</summary>
    public static float Measure(string text, bool bold, float size) => AtOnePoint(text, bold).Width * size;

    private static ShapedText AtOnePoint(string text, bool bold)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cache = _cache ??= [];
        return cache.TryGetValue((text, bold), out var cached) ? cached : Remember(cache, text, bold, ShapeAtOnePoint(text, bold));
    }

    private static ShapedText Remember(Dictionary<(string Text, bool Bold), ShapedText> cache, string text, bool bold, ShapedText shaped)
    {
        if (cache.Count >= CacheLimit)
        {
            cache.Clear();
        }

        cache[(text, bold)] = shaped;
        return shaped;
    }

    private static ShapedText Scale(ShapedText unit, float size) => unit with
    {
        Size = size,
        Width = unit.Width * size,
        Runs = [.. unit.Runs.Select(r => r with { Positions = [.. r.Positions.Select(p => new SKPoint(p.X * size, p.Y * size))] })],
    };

    private static ShapedText ShapeAtOnePoint(string given, bool bold)
    {
        var chain = ShippedFont.Chain(bold);
        var (text, fonts, replaced) = AssignFonts(given, chain);
        var levels = Bidi.Levels(text);

        // Runs of one font and one level, in logical order.
        var runs = new List<(int Start, int End, ShippedFont Font, byte Level)>();
        for (var i = 0; i < text.Length;)
        {
            var end = i + 1;
            while (end < text.Length && fonts[end] == fonts[i] && levels[end] == levels[i])
            {
                end++;
            }

            runs.Add((i, end, fonts[i], levels[i]));
            i = end;
        }

        var glyphRuns = new List<GlyphRun>();
        var x = 0f;
        foreach (var index in Bidi.VisualOrder([.. runs.Select(r => r.Level)]))
        {
            var (run, advance) = ShapeRun(text, runs[index].Start, runs[index].End, runs[index].Font, runs[index].Level % 2 == 1, x);
            glyphRuns.Add(run);
            x += advance;
        }

        return new ShapedText(given, glyphRuns, x, 1f, replaced);
    }

    /// <summary>
    /// The font of each UTF-16 unit: the first in the chain with the character; marks, joiners and the second half of a
    /// pair stay with the character before; spaces and punctuation stay with the font before when it has them, so runs
    /// do not break at every space. Characters no font has become U+FFFD in the returned text.
    /// </summary>
    private static (string Text, ShippedFont[] Fonts, IReadOnlyList<string> Replaced) AssignFonts(string given, IReadOnlyList<ShippedFont> chain)
    {
        var text = new StringBuilder(given.Length);
        var fonts = new List<ShippedFont>(given.Length);
        var replaced = new List<string>();
        ShippedFont? previous = null;
        foreach (var (_, original) in Bidi.Runes(given))
        {
            var rune = Rune.IsControl(original) ? new Rune(' ') : original;
            var category = Rune.GetUnicodeCategory(rune);
            ShippedFont? font;
            if (previous is not null && (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
                || (rune.Value < 0x3000 && !Rune.IsLetterOrDigit(rune) && previous.Has(rune.Value))))
            {
                font = previous;
            }
            else
            {
                font = chain.FirstOrDefault(f => f.Has(rune.Value));
            }

            if (font is null)
            {
                replaced.Add(rune.ToString());
                rune = Rune.ReplacementChar;
                font = chain[0];
            }

            var start = text.Length;
            text.Append(rune.ToString());
            for (var i = start; i < text.Length; i++)
            {
                fonts.Add(font);
            }

            previous = font;
        }

        return (text.ToString(), [.. fonts], replaced);
    }

    private static (GlyphRun Run, float Advance) ShapeRun(string text, int start, int end, ShippedFont font, bool rightToLeft, float x)
    {
        // One buffer per thread, cleared between runs: creating HarfBuzzSharp objects registers each in a process-wide
        // table under a lock, which kept two rendering threads from going faster than one.
        var buffer = _buffer ??= new Buffer();
        buffer.ClearContents();
        buffer.AddUtf16(text, start, end - start);
        buffer.Direction = rightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        buffer.GuessSegmentProperties();
        font.Shaping.Shape(buffer, Features);
        var infos = buffer.GetGlyphInfoSpan();
        var positions = buffer.GetGlyphPositionSpan();
        var scale = 1f / font.UnitsPerEm;

        var runText = text[start..end];
        var utf8 = Encoding.UTF8.GetBytes(runText);
        var glyphs = new ushort[infos.Length];
        var points = new SKPoint[infos.Length];
        var clusters = new uint[infos.Length];
        var advance = 0f;
        for (var i = 0; i < infos.Length; i++)
        {
            glyphs[i] = checked((ushort)infos[i].Codepoint);
            points[i] = new SKPoint(x + advance + (positions[i].XOffset * scale), -positions[i].YOffset * scale);
            clusters[i] = (uint)Encoding.UTF8.GetByteCount(runText.AsSpan(0, (int)infos[i].Cluster - start));
            advance += positions[i].XAdvance * scale;
        }

        return (new GlyphRun(font, glyphs, points, utf8, clusters), advance);
    }
}
