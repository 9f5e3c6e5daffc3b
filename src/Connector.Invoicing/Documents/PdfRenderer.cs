using System.Globalization;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Documents.Languages;
using Connector.Invoicing.Documents.Typesetting;
using Connector.Invoicing.Money;
using SkiaSharp;

namespace Connector.Invoicing.Documents;

/// <summary>
/// Draws a posted invoice or credit note as an A4 PDF in the buyer's language, with what the law asks it to print:
/// number, issue (and due) date, seller and buyer with their tax ids, every line with its service period, the VAT
/// breakdown per rate with exemption and reverse-charge wording, withholding and the amount payable, and for a credit
/// note the invoice it corrects and why. Deterministic: the same document gives the same bytes.
/// </summary>
internal static partial class PdfRenderer
{
    private const float PageWidth = 595f; // A4 in points
    private const float PageHeight = 842f;
    private const float Margin = 48f;
    private const float LineHeight = 15f;

    // The lines table's columns: a description that wraps, the service period, a quantity of up to eight digits, VAT, net.
    private const float DescriptionWidth = 175f;

    /// <summary>Lines a description may take: a Salesforce product name (255 characters) and its order number print whole.</summary>
    private const int DescriptionLines = 12;
    private const float PeriodX = Margin + 200f;
    private const float QuantityRight = Margin + 370f;
    private const float VatRight = Margin + 414f;

    /// <summary>The exemption reason code (CEF VATEX) of a reverse-charge supply: VAT category AE.</summary>
    public const string ReverseChargeCode = "VATEX-EU-AE";

    public static byte[] Render(Invoice invoice) => Draw(invoice).Pdf;

    /// <summary>The invoice's PDF and the characters no shipped font has (printed as U+FFFD), for the caller to report.</summary>
    public static RenderedPdf Draw(Invoice invoice) => Draw(PrintedDocument.Of(invoice));

    public static RenderedPdf Draw(PrintedDocument printed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        var language = DocumentLanguage.Get(printed.Buyer.Language);
        var created = printed.Document.IssueDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{language.Text(printed.IsCreditNote ? "creditNote.title" : "invoice.title")} {printed.Document.Number}",
            Author = printed.Seller.Name,
            Creator = "Salesforce invoicing connector",
            Producer = "Salesforce invoicing connector",
            Creation = created,
            Modified = created,
        };
        var pages = new Writer(printed, language).Write();
        return new RenderedPdf(pages.WritePdf(metadata), pages.Replaced);
    }

    public static string FileName(PostedDocument document) => $"{document.Number}.pdf";

    /// <summary>A text style: weight and size in points.</summary>
    private readonly record struct Style(bool Bold, float Size);

    /// <summary>Lays a document out page by page.</summary>
    private sealed partial class Writer(PrintedDocument printed, DocumentLanguage language)
    {
        private static readonly Style _regular = new(false, 9f);
        private static readonly Style _bold = new(true, 9f);
        private static readonly Style _small = new(false, 8f);
        private static readonly Style _title = new(true, 18f);
        private static readonly SKColor Ink = SKColors.Black;
        private static readonly SKColor RuleColor = new(0x99, 0x99, 0x99);
        private readonly PdfPages _pages = new(PageWidth, PageHeight);
        private readonly PostedDocument _document = printed.Document;
        private float _y;

        /// <summary>Lays the document out; returns its pages.</summary>
        public PdfPages Write()
        {
            NewPage();
            var qrBottom = VeriFactuQr();
            LogoAtTheTop();
            _y = Math.Max(_y, qrBottom + 20f);
            var accent = Accent(printed.Branding.AccentColor);
            Text(language.Text(printed.IsCreditNote ? "creditNote.title" : "invoice.title"), Margin, _y, _title, color: accent);
            Text(_document.Number, PageWidth - Margin, _y, _title, SKTextAlign.Right, accent);
            _y += 28;
            Text(language.Text("issueDate", ("date", language.Date(_document.IssueDate))), Margin, _y, _regular);
            if (printed.DueDate is { } due)
            {
                Text(language.Text("dueDate", ("date", language.Date(due))), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
            }

            if (_document is CreditNote note)
            {
                if (note.CorrectsNumber is { } corrected)
                {
                    _y += LineHeight;
                    var date = note.CorrectsIssueDate is { } d ? language.Date(d) : "";
                    Text(language.Text("creditNote.corrects", ("number", corrected), ("date", date)), Margin, _y, _bold);
                }

                foreach (var line in Wrap(language.Text("creditNote.reason", ("reason", CreditNotes.CreditReasons.Describe(note.Reason, language))), PageWidth - (2 * Margin), maxLines: 3))
                {
                    _y += LineHeight;
                    Text(line, Margin, _y, _regular);
                }
            }

            _y += 24;
            PartyBlocks();
            LinesTable();
            Totals();
            PaymentDetails();
            LegalNotes();
            for (var page = 0; page < _pages.Count; page++)
            {
                var footer = language.Text("page", ("document", _document.Number),
                    ("page", (page + 1).ToString(CultureInfo.InvariantCulture)), ("pages", _pages.Count.ToString(CultureInfo.InvariantCulture)));
                var width = _pages.Text(page, TextShaper.Shape(footer, _regular.Bold, _regular.Size), PageWidth - Margin, PageHeight - (Margin / 2), SKTextAlign.Right, Ink);
                if (printed.Branding.Footer is { } text)
                {
                    var fitted = Fit(text, PageWidth - (2 * Margin) - width - 16);
                    _pages.Text(page, TextShaper.Shape(fitted, _small.Bold, _small.Size), Margin, PageHeight - (Margin / 2), SKTextAlign.Left, Ink);
                }
            }

            return _pages;
        }

        private void PartyBlocks()
        {
            var top = _y;
            var seller = PartyLines(language.Text("seller"), printed.Seller).SelectMany(l => Wrap(l, PartyWidth, maxLines: 2)).ToList();
            var buyer = PartyLines(language.Text("buyer"), printed.Buyer).SelectMany(l => Wrap(l, PartyWidth, maxLines: 2)).ToList();
            for (var i = 0; i < seller.Count; i++)
            {
                Text(seller[i], Margin, top + (i * LineHeight), i == 0 ? _bold : _regular);
            }

            for (var i = 0; i < buyer.Count; i++)
            {
                Text(buyer[i], PageWidth / 2, top + (i * LineHeight), i == 0 ? _bold : _regular);
            }

            _y = top + (Math.Max(seller.Count, buyer.Count) * LineHeight) + 16;
        }

        private List<string> PartyLines(string role, Party party)
        {
            var lines = new List<string> { role, party.Name };
            if (!string.IsNullOrWhiteSpace(party.Street))
            {
                lines.Add(party.Street);
            }

            var cityLine = string.Join(" ", new[] { party.PostalCode, party.City }.Where(s => !string.IsNullOrWhiteSpace(s)));
            if (cityLine.Length > 0)
            {
                lines.Add(cityLine);
            }

            if (!string.IsNullOrWhiteSpace(party.Country))
            {
                lines.Add(party.Country);
            }

            if (!string.IsNullOrWhiteSpace(party.TaxId))
            {
                lines.Add(language.Text("taxId", ("taxId", party.TaxId)));
            }

            return lines;
        }

        private void LinesTable()
        {
            TableHeader();
            foreach (var line in _document.Lines)
            {
                var description = Wrap(line.Description, DescriptionWidth, maxLines: DescriptionLines).ToList();
                var details = line.Usage is { } usage ? [.. UsageDetails(line, usage).Select(d => Fit(d, 400))] : new List<string>();
                EnsureRoom(LineHeight * (description.Count + details.Count + 1));
                Text(line.LineNumber.ToString(CultureInfo.InvariantCulture), Margin, _y, _regular);
                for (var i = 1; i < description.Count; i++)
                {
                    Text(description[i], Margin + 20, _y + (i * LineHeight), _regular);
                }

                Text(description[0], Margin + 20, _y, _regular);
                Text(language.Text("period", ("start", language.Date(line.Period.Start)), ("end", language.Date(line.Period.End))), PeriodX, _y, _regular);
                Text(language.Number(line.Quantity), QuantityRight, _y, _regular, SKTextAlign.Right);
                Text(IsReverseCharge(line.TaxExemptReason) ? "—" : language.Percent(line.TaxRatePercent), VatRight, _y, _regular, SKTextAlign.Right);
                Text(language.Money(line.Net), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                for (var i = 0; i < details.Count; i++)
                {
                    Text(details[i], Margin + 28, _y + ((description.Count + i) * LineHeight), _small);
                }

                _y += LineHeight * (description.Count + details.Count);
            }

            Rule();
        }

        /// <summary>What a usage line adds below its description: the quantity with its unit, and each rate that priced it.</summary>
        private IEnumerable<string> UsageDetails(InvoiceLine line, Usage.UsageDetail usage)
        {
            var unit = usage.UnitOfMeasure is { } u ? " " + u : "";
            yield return usage.Late
                ? language.Text("usage.late", ("quantity", language.Number(line.Quantity) + unit), ("total", language.Number(usage.PeriodQuantity ?? 0m) + unit),
                    ("billed", language.Money(Amount.Round(usage.BilledBefore ?? 0m, line.Net.Currency))))
                : language.Text("usage.quantity", ("quantity", language.Number(line.Quantity) + unit));
            foreach (var tier in usage.Tiers)
            {
                var bounds = tier.Rate.UpperBound is { } upper
                    ? $"{language.Number(tier.Rate.LowerBound)}–{language.Number(upper)}"
                    : $"{language.Number(tier.Rate.LowerBound)}+";
                var number = tier.Rate.Number.ToString(CultureInfo.InvariantCulture);
                yield return tier.Rate.PricingMethod == Usage.PricingMethod.FlatFee
                    ? language.Text("usage.flatFee", ("number", number), ("bounds", bounds), ("quantity", language.Number(tier.Quantity) + unit), ("price", language.Number(tier.Rate.Price)))
                    : language.Text("usage.rate", ("number", number), ("bounds", bounds), ("quantity", language.Number(tier.Quantity) + unit),
                        ("price", language.Number(tier.Rate.Price)), ("amount", language.Number(tier.Amount)));
            }
        }

        private void TableHeader()
        {
            Text("#", Margin, _y, _bold);
            Text(language.Text("column.description"), Margin + 20, _y, _bold);
            Text(language.Text("column.period"), PeriodX, _y, _bold);
            Text(language.Text("column.quantity"), QuantityRight, _y, _bold, SKTextAlign.Right);
            Text(language.Text("column.vat"), VatRight, _y, _bold, SKTextAlign.Right);
            Text(language.Text("column.net"), PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            _y += 6;
            _pages.Line(_pages.Count - 1, Margin, _y, PageWidth - Margin, _y, Accent(printed.Branding.AccentColor) is var a && a != SKColors.Black ? a : RuleColor, 0.75f);
            _y += LineHeight;
        }

        private void EnsureRoom(float height)
        {
            if (_y + height > PageHeight - Margin)
            {
                NewPage();
                TableHeader();
            }
        }

        private void NewPage()
        {
            _pages.NewPage();
            _y = Margin + 10;
        }

        private void Rule()
        {
            _pages.Line(_pages.Count - 1, Margin, _y, PageWidth - Margin, _y, RuleColor, 0.5f);
            _y += LineHeight;
        }

        /// <summary>
        /// The text on one line of at most <paramref name="width"/> points, cut visibly (…) when longer. Control
        /// characters become spaces. Bounded work whatever the input: the text is first cut to what could ever fit,
        /// then the cut is found by halving (a 100,000-character name costs a few measurements, not thousands).
        /// </summary>
        private static string Fit(string text, float width)
        {
            var line = new string([.. text.Take(MaxCharactersOnALine + 1).Select(c => char.IsControl(c) ? ' ' : c)]);
            if (line.Length <= MaxCharactersOnALine && Measure(line) <= width)
            {
                return line;
            }

            var (fits, tooLong) = (0, line.Length);
            while (tooLong - fits > 1)
            {
                var middle = (fits + tooLong) / 2;
                if (Measure(line[..middle] + "…") <= width)
                {
                    fits = middle;
                }
                else
                {
                    tooLong = middle;
                }
            }

            return line[..fits].TrimEnd() + "…";
        }

        /// <summary>The text on at most <paramref name="maxLines"/> lines of <paramref name="width"/> points, broken at spaces where it can, the last cut visibly.</summary>
        private static IEnumerable<string> Wrap(string text, float width, int maxLines)
        {
            var rest = text;
            for (var line = 1; line < maxLines; line++)
            {
                var fitted = Fit(rest, width);
                if (!fitted.EndsWith('…'))
                {
                    yield return fitted;
                    yield break;
                }

                var head = fitted[..^1];
                var space = head.LastIndexOf(' ');
                head = space > head.Length / 2 ? head[..space] : head;
                yield return head.TrimEnd();
                rest = rest[head.Length..].TrimStart();
            }

            yield return Fit(rest, width);
        }

        /// <summary>More characters than any line of the page can show (narrow glyphs at the font size, the page's width).</summary>
        private const int MaxCharactersOnALine = 400;

        /// <summary>Width of the seller's and the buyer's column.</summary>
        private const float PartyWidth = (PageWidth / 2) - Margin - 8;

        private static float Measure(string text) => TextShaper.Measure(text, _regular.Bold, _regular.Size);

        private void Text(string text, float x, float y, Style style, SKTextAlign align = SKTextAlign.Left, SKColor? color = null) =>
            _pages.Text(_pages.Count - 1, TextShaper.Shape(text, style.Bold, style.Size), x, y, align, color ?? Ink);
    }
}
