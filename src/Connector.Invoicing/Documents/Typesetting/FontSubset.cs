using System.Runtime.InteropServices;
using SkiaSharp;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// Cuts a shipped font down to the glyphs one document draws, with HarfBuzz's subsetter (hb-subset, exported by
/// HarfBuzzSharp's native library, which the managed package does not wrap). Glyph ids are retained, so glyphs shaped
/// with the whole font draw unchanged; unused glyphs become empty, and the PDF's compressed font stream stays small.
/// Hinting is dropped: a PDF viewer scales outlines itself.
/// </summary>
internal static partial class FontSubset
{
    private const string Library = "libHarfBuzzSharp";
    private const uint NoHinting = 0x1;
    private const uint RetainGlyphIds = 0x2;

    /// <summary>A typeface with only <paramref name="glyphs"/> (and the .notdef glyph) of <paramref name="font"/>.</summary>
    public static SKTypeface Create(ShippedFont font, IEnumerable<ushort> glyphs)
    {
        var input = hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero)
        {
            throw new InvalidOperationException("HarfBuzz could not start a font subset.");
        }

        try
        {
            hb_subset_input_set_flags(input, NoHinting | RetainGlyphIds);
            var glyphSet = hb_subset_input_glyph_set(input);
            foreach (var glyph in glyphs)
            {
                hb_set_add(glyphSet, glyph);
            }

            var subset = hb_subset_or_fail(font.Face.Handle, input);
            if (subset == IntPtr.Zero)
            {
                throw new InvalidOperationException($"HarfBuzz could not subset {font.FileName}.");
            }

            try
            {
                var blob = hb_face_reference_blob(subset);
                try
                {
                    var data = hb_blob_get_data(blob, out var length);
                    using var skData = SKData.CreateCopy(data, length);
                    return SKTypeface.FromData(skData) ?? throw new InvalidOperationException($"The subset of {font.FileName} could not be loaded.");
                }
                finally
                {
                    hb_blob_destroy(blob);
                }
            }
            finally
            {
                hb_face_destroy(subset);
            }
        }
        finally
        {
            hb_subset_input_destroy(input);
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_input_create_or_fail();

    [LibraryImport(Library)]
    private static partial void hb_subset_input_destroy(IntPtr input);

    [LibraryImport(Library)]
    private static partial void hb_subset_input_set_flags(IntPtr input, uint flags);

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_input_glyph_set(IntPtr input);

    [LibraryImport(Library)]
    private static partial void hb_set_add(IntPtr set, uint codepoint);

    [LibraryImport(Library)]
    private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [LibraryImport(Library)]
    private static partial IntPtr hb_face_reference_blob(IntPtr face);

    [LibraryImport(Library)]
    private static partial void hb_face_destroy(IntPtr face);

    [LibraryImport(Library)]
    private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [LibraryImport(Library)]
    private static partial void hb_blob_destroy(IntPtr blob);
}
