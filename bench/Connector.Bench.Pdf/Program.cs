using System.Diagnostics;
using System.Globalization;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Documents.Typesetting;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using SkiaSharp;
using static BenchOutput;

// PDF rendering: N one-page invoices (five lines from a catalogue; buyers in four languages, each with a name of its own
// in its country's letters, a fifth of them in Arabic) drawn by the connector's renderer (shaping, font fallback, fonts
// cut to the document's glyphs and shared) on one thread, then on every core; beside a plain SkiaSharp baseline that draws the same strings with SKCanvas.DrawText and the whole fonts, as the renderer
// did before. Prints JSON lines on stdout ({"figure","value","unit","baseline","ratio"}), progress on stderr.
// Usage: dotnet run -c Release --project bench/Connector.Bench.Pdf -- [documents=2000]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var invoices = Enumerable.Range(1, count).Select(Invoice).ToList();
var texts = invoices.Select(PlainText).ToList();

// Warm up: fonts loaded, JIT done, the shaping cache holds the labels.
foreach (var invoice in invoices.Take(50))
{
    PdfRenderer.Render(invoice);
}

foreach (var text in texts.Take(50))
{
    Plain(text);
}

Console.Error.WriteLine($"rendering {count} invoices on one thread");
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var (single, bytes) = Time(() => invoices.Sum(i => (long)PdfRenderer.Render(i).Length));
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed memory allocated per document: {(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / count / 1024} KB; time in GC pauses so far: {GC.GetTotalPauseDuration().TotalSeconds:0.00} s"));
Console.Error.WriteLine($"drawing the same strings with plain SkiaSharp on one thread");
var (plain, plainBytes) = Time(() => texts.Sum(t => (long)Plain(t).Length));
var cores = Environment.ProcessorCount;
Console.Error.WriteLine($"rendering {count} invoices on {cores} cores");
var (parallel, _) = Time(() =>
{
    long total = 0;
    Parallel.ForEach(invoices, new ParallelOptions { MaxDegreeOfParallelism = cores }, i => Interlocked.Add(ref total, PdfRenderer.Render(i).Length));
    return total;
});

Figure("pdf.rate", count / single, "documents/s/core", count / plain);
Figure("pdf.bytes", (double)bytes / count, "bytes", (double)plainBytes / count);
Figure("pdf.parallel", single / parallel, "ratio", null);
Figure("pdf.cores", cores, "cores");
var subsets = SubsetCache.Shared;
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"font subsets: {subsets.Cut} cut, {subsets.Reused} reused ({100.0 * subsets.Reused / (subsets.Cut + subsets.Reused):0}% of the fonts documents embedded), {subsets.Count} held"));
return;

static (double Seconds, long Bytes) Time(Func<long> work)
{
    var watch = Stopwatch.StartNew();
    var bytes = work();
    return (watch.Elapsed.TotalSeconds, bytes);
}

static Invoice Invoice(int n)
{
    // Buyers and products vary the way a customer base does: every buyer's name is its own, made of its country's
    // syllables (and letters), and the lines come from a catalogue.
    var (syllables, suffix, country, language) = (n % 5) switch
    {
        0 => (new[] { "Nú", "ñez", "Pe", "ña", "Ibá", "Mu", "ro", "Gar", "cía", "Ló", "pez", "Ca", "sas", "Tor", "res" }, "SL", "ES", "es"),
        1 => (new[] { "Mül", "ler", "Jä", "ger", "Groß", "mann", "Schrö", "der", "Wag", "ner", "Kö", "nig", "Bau", "er", "hof" }, "GmbH", "DE", "de"),
        2 => (new[] { "Sø", "ren", "Æ", "rø", "Blå", "bær", "Øster", "gaard", "Lund", "sen", "Ny", "borg", "Fjord", "Hav", "by" }, "ApS", "DK", "da"),
        3 => (new[] { "Kirk", "by", "Vaugh", "an", "Ox", "ford", "Quay", "side", "Whit", "more", "Ash", "ton", "Jew", "ell", "Zed" }, "Ltd", "GB", "en"),
        _ => (new[] { "الأ", "مل", "النو", "ر", "شر", "كة", "مؤ", "سسة", "الخ", "ليج", "Zen", "ith", "Du", "bai", "Qua" }, "LLC", "AE", "en"),
    };
    var seed = unchecked((uint)n * 2_654_435_761u);
    var name = string.Concat(Enumerable.Range(0, 2 + (int)(seed % 3)).Select(k => syllables[(seed >> (3 + (5 * k))) % (uint)syllables.Length])) + " " + suffix;
    string[] products = ["Platform licence", "Premium support", "Data storage (TB)", "Analytics add-on", "Onboarding workshop",
        "API calls (per 10,000)", "Sandbox environment", "Extra user seats", "Backup & recovery", "Quality assurance review"];
    var lines = Enumerable.Range(1, 5).Select(i => new InvoiceLine(i, "801", $"802-{i}", $"{products[(i * 3 + n) % products.Length]}, monthly (order {n:00000000})",
        new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), i, 1m, Amount.FromMinorUnits(12_345 * i + n, Currency.Eur), 21m, "bench")).ToList();
    return new Invoice
    {
        Id = n,
        Number = $"INV-{n:000000}",
        AccountId = "001",
        Seller = new Party("Ejemplo Software SL", "B87654321", "Calle de Serrano 41", "Madrid", "28001", "ES"),
        Buyer = new Party(name, "X" + n.ToString(CultureInfo.InvariantCulture), "Street 1", "City", "12345", country, language),
        Currency = Currency.Eur,
        IssueDate = new DateOnly(2026, 3, 1),
        DueDate = new DateOnly(2026, 3, 31),
        Lines = lines,
        Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument),
    };
}

// The strings the renderer prints for an invoice, for the baseline to draw.
static List<string> PlainText(Invoice invoice)
{
    var strings = new List<string> { "INVOICE", invoice.Number, invoice.IssueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), invoice.Seller.Name, invoice.Buyer.Name };
    foreach (var line in invoice.Lines)
    {
        strings.AddRange([line.LineNumber.ToString(CultureInfo.InvariantCulture), line.Description, "2026-03-01 – 2026-03-31", "1", "21%", line.Net.ToPlainString()]);
    }

    strings.AddRange(["Net total", invoice.Net.ToPlainString(), "VAT total", invoice.Tax.ToPlainString(), "Total", invoice.Total.ToPlainString(), invoice.Number + " · page 1 of 1"]);
    return strings;
}

static byte[] Plain(List<string> strings)
{
    using var stream = new MemoryStream();
    using (var document = SKDocument.CreatePdf(stream))
    {
        var canvas = document.BeginPage(595, 842);
        using var regular = new SKFont(ShippedFont.Regular.Whole, 9);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var y = 60f;
        foreach (var text in strings)
        {
            canvas.DrawText(text, 48, y, SKTextAlign.Left, regular, paint);
            y += 15;
        }

        document.EndPage();
        document.Close();
    }

    return stream.ToArray();
}
