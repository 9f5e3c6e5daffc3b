using SkiaSharp;

namespace Connector.Invoicing.Documents.Typesetting;

/// <summary>
/// Font subsets shared between documents. Skia's PDF backend asks FreeType for the outline and metrics of every glyph
/// once per typeface, under one lock for the whole process: with a typeface cut for each document, that work was
/// repeated per document and two rendering threads queued on the lock (two cores rendered 1.5-1.7 times as fast as
/// one). Here a document's glyph set is first widened a little (<see cref="Widen"/>), so documents mostly ask for the
/// same set, and the typeface cut for a set is kept for the next document, with the outlines Skia made.
/// <para>
/// The widening depends only on the document's own glyphs, never on what was rendered before: the same document
/// still gives the same bytes. Typefaces are evicted least recently used; one still drawing is disposed when its
/// last document returns it.
/// </para>
/// </summary>
internal sealed class SubsetCache
{
    /// <summary>
    /// Basic Latin glyphs are embedded in blocks of this many consecutive glyph ids. Measured on the PDF bench's
    /// invoices (a name of its own per buyer, a fifth in Arabic): blocks of 4 reuse a typeface for 88% of the fonts
    /// documents embed, for 19.6 KB a PDF against 16.3 KB cut exactly; blocks of 8 reuse 90% for 21.8 KB; widening
    /// Latin-1 and Latin Extended-A too reuses no more, for 20.2 KB.
    /// </summary>
    public const int BasicLatinBlock = 4;

    private readonly int _capacity;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = [];
    private readonly Lock _lock = new();

    public SubsetCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>The cache documents share: 48 typefaces at most, each holding its cut font file.</summary>
    public static SubsetCache Shared { get; } = new(48);

    /// <summary>Typefaces held at most, besides evicted ones documents still draw with.</summary>
    public int Capacity => _capacity;

    /// <summary>Typefaces held now, in use or not.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Rentals served by a typeface already cut (counted for the PDF bench).</summary>
    public long Reused { get; private set; }

    /// <summary>Typefaces cut.</summary>
    public long Cut { get; private set; }

    /// <summary>
    /// The glyphs a document embeds for the glyphs it draws: each basic Latin glyph (the letters, digits and punctuation
    /// of ASCII, the first glyph ids of the shipped Latin fonts, and most of any document) brings its block of
    /// <see cref="BasicLatinBlock"/> ids; any other glyph is embedded alone. Sorted, without repeats.
    /// </summary>
    public static IReadOnlyList<ushort> Widen(ShippedFont font, IEnumerable<ushort> glyphs)
    {
        ArgumentNullException.ThrowIfNull(font);
        var widened = new SortedSet<ushort>();
        foreach (var glyph in glyphs)
        {
            if (glyph >= font.BasicLatinGlyphEnd)
            {
                widened.Add(glyph);
                continue;
            }

            var start = glyph / BasicLatinBlock * BasicLatinBlock;
            for (var id = start; id < Math.Min(start + BasicLatinBlock, font.BasicLatinGlyphEnd); id++)
            {
                widened.Add((ushort)id);
            }
        }

        return [.. widened];
    }

    /// <summary>A typeface with the widened <paramref name="glyphs"/> of <paramref name="font"/>, until the lease is disposed.</summary>
    public Lease Rent(ShippedFont font, IEnumerable<ushort> glyphs)
    {
        var widened = Widen(font, glyphs);
        var key = font.FileName + ":" + string.Join(',', widened);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var held))
            {
                Reused++;
                return Use(held);
            }
        }

        // Cut outside the lock: subsetting is a fifth of a document's time, and other threads may be doing theirs.
        var typeface = FontSubset.Create(font, widened);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                typeface.Dispose();
                Reused++;
                return Use(raced);
            }

            Cut++;
            var entry = new Entry(key, typeface);
            entry.Node = _recent.AddFirst(entry);
            _entries.Add(key, entry);
            while (_entries.Count > _capacity)
            {
                var oldest = _recent.Last!.Value;
                _recent.RemoveLast();
                _entries.Remove(oldest.Key);
                oldest.Evicted = true;
                DisposeIfFree(oldest);
            }

            return Use(entry);
        }
    }

    private Lease Use(Entry entry)
    {
        entry.Users++;
        if (!entry.Evicted)
        {
            _recent.Remove(entry.Node!);
            _recent.AddFirst(entry.Node!);
        }

        return new Lease(this, entry);
    }

    private void Return(Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            DisposeIfFree(entry);
        }
    }

    private static void DisposeIfFree(Entry entry)
    {
        if (entry.Evicted && entry.Users == 0)
        {
            entry.Typeface.Dispose();
        }
    }

    /// <summary>A typeface lent to one document; disposing returns it.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly SubsetCache _cache;
        private readonly Entry _entry;
        private bool _returned;

        internal Lease(SubsetCache cache, Entry entry) => (_cache, _entry) = (cache, entry);

        public SKTypeface Typeface => _returned ? throw new ObjectDisposedException(nameof(Lease)) : _entry.Typeface;

        public void Dispose()
        {
            if (!_returned)
            {
                _returned = true;
                _cache.Return(_entry);
            }
        }
    }

    internal sealed class Entry(string key, SKTypeface typeface)
    {
        public string Key { get; } = key;

        public SKTypeface Typeface { get; } = typeface;

        public LinkedListNode<Entry>? Node { get; set; }

        public int Users { get; set; }

        public bool Evicted { get; set; }
    }
}
