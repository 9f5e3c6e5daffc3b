using Connector.Invoicing.Documents;
using Connector.Invoicing.Documents.Typesetting;
using Connector.Invoicing.Invoices;
using SkiaSharp;

namespace Connector.Invoicing.Tests.Documents;

[TestFixture]
public sealed class SubsetCacheTests
{
    private static readonly ShippedFont Font = ShippedFont.Regular;

    [Test]
    public void Widen_BasicLatinGlyphsBringTheirBlock_OtherGlyphsComeAlone()
    {
        // 'a' and 'b' share a block, 'z' has its own, the block of '~' stops at the end of ASCII; 'ñ', the en dash and alef
        // lie beyond it.
        var (a, b, z, tilde, enye, dash, alef) = (Glyph('a'), Glyph('b'), Glyph('z'), Glyph('~'), Glyph('ñ'), Glyph('–'), Glyph('\u0627'));

        var widened = SubsetCache.Widen(Font, [z, a, b, a, enye, dash, alef, tilde]);

        var aBlock = a / SubsetCache.BasicLatinBlock * SubsetCache.BasicLatinBlock;
        var zBlock = z / SubsetCache.BasicLatinBlock * SubsetCache.BasicLatinBlock;
        var lastBlock = tilde / SubsetCache.BasicLatinBlock * SubsetCache.BasicLatinBlock;
        IEnumerable<int> expected =
        [
            .. Enumerable.Range(aBlock, SubsetCache.BasicLatinBlock).Union(Enumerable.Range(zBlock, SubsetCache.BasicLatinBlock)),
            .. Enumerable.Range(lastBlock, Font.BasicLatinGlyphEnd - lastBlock),
            enye,
            dash,
            alef,
        ];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Font.BasicLatinGlyphEnd, Is.EqualTo(tilde + 1), "'~' is the last of ASCII");
            Assert.That(enye, Is.GreaterThanOrEqualTo(Font.BasicLatinGlyphEnd));
            Assert.That(widened.Select(g => (int)g), Is.EqualTo(expected.Order()), "sorted, without repeats");
        }
    }

    [Test]
    public void Rent_GlyphsInTheSameBlocks_ShareOneTypefaceThatDrawsThemAll()
    {
        var cache = new SubsetCache(capacity: 4);
        ushort[] invoice = [Glyph('a'), Glyph('t'), Glyph('–')];
        ushort[] sameBlocks = [Glyph('b'), Glyph('t'), Glyph('–')];

        using var first = cache.Rent(Font, invoice);
        using var second = cache.Rent(Font, sameBlocks);
        using var other = cache.Rent(Font, [Glyph('a'), Glyph('–')]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Typeface, Is.SameAs(first.Typeface));
            Assert.That(other.Typeface, Is.Not.SameAs(first.Typeface), "one block fewer is another subset");
            Assert.That((cache.Cut, cache.Reused, cache.Count), Is.EqualTo((2, 1, 2)));
            Assert.That(HasOutline(first.Typeface, Glyph('a')), Is.True);
            Assert.That(HasOutline(first.Typeface, Glyph('b')), Is.True, "a glyph of a block in use");
            Assert.That(HasOutline(first.Typeface, Glyph('–')), Is.True);
            Assert.That(HasOutline(first.Typeface, Glyph('Q')), Is.False, "a glyph of a block no document drew is not embedded");
            Assert.That(HasOutline(first.Typeface, Glyph('—')), Is.False, "nor a glyph beyond Latin it did not draw");
            Assert.That(HasOutline(Font.Whole, Glyph('Q')) && HasOutline(Font.Whole, Glyph('—')), Is.True, "the whole font has both");
        }
    }

    [Test]
    public void Rent_BeyondCapacity_EvictsTheLeastRecentlyUsed_AndDisposesItOnlyOnceReturned()
    {
        var cache = new SubsetCache(capacity: 2);
        var heldLease = cache.Rent(Font, [Glyph('a')]);
        var held = heldLease.Typeface;
        SKTypeface recent;
        using (var lease = cache.Rent(Font, [Glyph('z')]))
        {
            recent = lease.Typeface;
        }

        using (cache.Rent(Font, [Glyph('a')]))
        {
            // 'a' is now the most recently used: the next subset evicts 'z', which nobody holds.
        }

        using var third = cache.Rent(Font, [Glyph('Q')]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recent.Handle, Is.EqualTo(IntPtr.Zero), "evicted and returned: disposed");
            Assert.That(held.Handle, Is.Not.EqualTo(IntPtr.Zero));
            Assert.That(cache.Count, Is.EqualTo(2));
        }

        using (var again = cache.Rent(Font, [Glyph('z')]))
        {
            Assert.That(again.Typeface, Is.Not.SameAs(recent), "cut again");
        }

        Assert.That(held.Handle, Is.Not.EqualTo(IntPtr.Zero), "evicted while a document draws with it: kept");
        heldLease.Dispose();
        Assert.That(held.Handle, Is.EqualTo(IntPtr.Zero), "disposed once its last document returns it");
        Assert.Throws<ObjectDisposedException>(() => _ = heldLease.Typeface);
    }

    [Test]
    public void Render_AfterOtherDocumentsAndOnEveryCore_GivesTheSameBytesAsAlone()
    {
        // Arrange: one invoice, then buyers in other scripts, each with a Cyrillic letter of its own (64 subsets beyond
        // Latin, more than the shared cache holds), rendered on every core.
        var invoice = PdfRendererTests.Invoice(lineCount: 3);
        var alone = PdfRenderer.Render(invoice);
        var cutBefore = SubsetCache.Shared.Cut;
        string[] scripts = ["Ελληνική", "Ромашка", "שלום", "شركة", "東京商事", "Zażółć", "Ærø", "Núñez"];
        var others = Enumerable.Range(0, 120)
            .Select(i => invoice with { Number = $"INV-{i:000}", Buyer = invoice.Buyer with { Name = $"{scripts[i % scripts.Length]} {(char)(0x0410 + (i % 64))}" } })
            .Append(invoice)
            .ToList();

        // Act
        var rendered = new byte[others.Count][];
        Parallel.For(0, others.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, i => rendered[i] = PdfRenderer.Render(others[i]));
        var afterwards = PdfRenderer.Render(invoice);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered[^1], Is.EqualTo(alone), "rendered among others, on another thread");
            Assert.That(afterwards, Is.EqualTo(alone), "rendered after the cache turned over");
            Assert.That(SubsetCache.Shared.Cut - cutBefore, Is.GreaterThan(SubsetCache.Shared.Capacity), "the others cycled the cache");
        }
    }

    private static ushort Glyph(char c) => Font.Shaping.TryGetNominalGlyph(c, out var glyph) ? (ushort)glyph : throw new ArgumentException($"no glyph for {c}");

    private static bool HasOutline(SKTypeface typeface, ushort glyph)
    {
        using var font = new SKFont(typeface, 12);
        using var path = font.GetGlyphPath(glyph);
        return path is { IsEmpty: false };
    }
}
