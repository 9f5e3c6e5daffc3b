using System.Globalization;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Documents.Typesetting;
using Connector.Invoicing.Money;
using SkiaSharp;

namespace Connector.Invoicing.Documents;

/// <summary>
/// Draws an invoice as an A4 PDF with the legal minimum: number, issue and due date, seller and buyer, every line with
/// its service period, net per VAT rate, VAT and total. Deterministic: the same invoice gives the same bytes.
/// </summary>
internal static class InvoicePdfRenderer
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
    private const float QuantityRight = Margin + 378f;
    private const float VatRight = Margin + 410f;

    public static byte[] Render(Invoice invoice) => Draw(invoice).Pdf;

    /// <summary>The PDF and the characters no shipped font has (printed as U+FFFD), for the caller to report.</summary>
    public static RenderedPdf Draw(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var created = invoice.IssueDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"Invoice {invoice.Number}",
            Author = invoice.Seller.Name,
            Creator = "Salesforce invoicing connector",
            Producer = "Salesforce invoicing connector",
            Creation = created,
            Modified = created,
        };
        var pages = new Writer(invoice).Write();
        return new RenderedPdf(pages.WritePdf(metadata), pages.Replaced);
    }

    public static string FileName(Invoice invoice) => $"{invoice.Number}.pdf";

    private static string Money(Amount amount) =>
        amount.Value.ToString("N" + amount.Currency.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + amount.Currency.Code;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    /// <summary>A text style: weight and size in points.</summary>
    private readonly record struct Style(bool Bold, float Size);

    /// <summary>Lays an invoice out page by page.</summary>
    private sealed class Writer(Invoice invoice)
    {
        private static readonly Style _regular = new(false, 9f);
        private static readonly Style _bold = new(true, 9f);
        private static readonly Style _small = new(false, 8f);
        private static readonly Style _title = new(true, 18f);
        private static readonly SKColor Ink = SKColors.Black;
        private static readonly SKColor RuleColor = new(0x99, 0x99, 0x99);
        private readonly PdfPages _pages = new(PageWidth, PageHeight);
        private float _y;

        /// <summary>Lays the invoice out; returns its pages.</summary>
        public PdfPages Write()
        {
            NewPage();
            Text("INVOICE", Margin, _y, _title);
            Text(invoice.Number, PageWidth - Margin, _y, _title, SKTextAlign.Right);
            _y += 28;
            Text($"Issue date: {Date(invoice.IssueDate)}", Margin, _y, _regular);
            Text($"Due date: {Date(invoice.DueDate)}", PageWidth - Margin, _y, _regular, SKTextAlign.Right);
            _y += 24;
            PartyBlocks();
            LinesTable();
            Totals();
            for (var page = 0; page < _pages.Count; page++)
            {
                var footer = string.Create(CultureInfo.InvariantCulture, $"{invoice.Number} · page {page + 1} of {_pages.Count}");
                _pages.Text(page, TextShaper.Shape(footer, _regular.Bold, _regular.Size), PageWidth - Margin, PageHeight - (Margin / 2), SKTextAlign.Right, Ink);
            }

            return _pages;
        }

        private void PartyBlocks()
        {
            var top = _y;
            var seller = PartyLines("Seller", invoice.Seller).SelectMany(l => Wrap(l, PartyWidth, maxLines: 2)).ToList();
            var buyer = PartyLines("Buyer", invoice.Buyer).SelectMany(l => Wrap(l, PartyWidth, maxLines: 2)).ToList();
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

        private static List<string> PartyLines(string role, Party party)
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
                lines.Add($"Tax ID: {party.TaxId}");
            }

            return lines;
        }

        private void LinesTable()
        {
            TableHeader();
            foreach (var line in invoice.Lines)
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
                Text($"{Date(line.Period.Start)} – {Date(line.Period.End)}", PeriodX, _y, _regular);
                Text(Number(line.Quantity), QuantityRight, _y, _regular, SKTextAlign.Right);
                Text($"{Number(line.TaxRatePercent)}%", VatRight, _y, _regular, SKTextAlign.Right);
                Text(Money(line.Net), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                for (var i = 0; i < details.Count; i++)
                {
                    Text(details[i], Margin + 28, _y + ((description.Count + i) * LineHeight), _small);
                }

                _y += LineHeight * (description.Count + details.Count);
            }

            Rule();
        }

        /// <summary>What a usage line adds below its description: the quantity with its unit, and each rate that priced it.</summary>
        private static IEnumerable<string> UsageDetails(InvoiceLine line, Usage.UsageDetail usage)
        {
            var unit = usage.UnitOfMeasure is { } u ? " " + u : "";
            yield return usage.Late
                ? $"Late usage: {Number(line.Quantity)}{unit} more; period total {Number(usage.PeriodQuantity ?? 0m)}{unit}, {Money(Amount.Round(usage.BilledBefore ?? 0m, line.Net.Currency))} billed before"
                : $"Usage: {Number(line.Quantity)}{unit}";
            foreach (var tier in usage.Tiers)
            {
                var bounds = tier.Rate.UpperBound is { } upper
                    ? string.Create(CultureInfo.InvariantCulture, $"{tier.Rate.LowerBound}–{upper}")
                    : string.Create(CultureInfo.InvariantCulture, $"{tier.Rate.LowerBound}+");
                yield return tier.Rate.PricingMethod == Usage.PricingMethod.FlatFee
                    ? $"Rate {tier.Rate.Number} ({bounds}): {Number(tier.Quantity)}{unit}, flat fee {Number(tier.Rate.Price)}"
                    : $"Rate {tier.Rate.Number} ({bounds}): {Number(tier.Quantity)}{unit} × {Number(tier.Rate.Price)} = {Number(tier.Amount)}";
            }
        }

        private void TableHeader()
        {
            Text("#", Margin, _y, _bold);
            Text("Description", Margin + 20, _y, _bold);
            Text("Service period", PeriodX, _y, _bold);
            Text("Qty", QuantityRight, _y, _bold, SKTextAlign.Right);
            Text("VAT", VatRight, _y, _bold, SKTextAlign.Right);
            Text("Net", PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            _y += 6;
            Rule();
        }

        private void Totals()
        {
            EnsureRoom(LineHeight * (invoice.Taxes.Count + invoice.Withholdings.Count + invoice.Installments.Count + 7));
            var labelX = PageWidth - Margin - 150;
            Text("Net total", labelX, _y, _regular);
            Text(Money(invoice.Net), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
            _y += LineHeight;
            foreach (var tax in invoice.Taxes)
            {
                var exempt = tax.ExemptReason is null ? "" : $" ({tax.ExemptReason})";
                Text(Fit($"VAT {Number(tax.RatePercent)}% on {Money(tax.Base)}{exempt}", PageWidth - Margin - 90 - (labelX - 120)), labelX - 120, _y, _regular);
                Text(Money(tax.Tax), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                _y += LineHeight;
            }

            Text("VAT total", labelX, _y, _regular);
            Text(Money(invoice.Tax), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
            _y += LineHeight;
            Text("Total", labelX, _y, _bold);
            Text(Money(invoice.Total), PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            if (invoice.Withholdings.Count > 0)
            {
                _y += LineHeight;
                foreach (var withholding in invoice.Withholdings)
                {
                    Text($"Withholding {Number(withholding.RatePercent)}% on {Money(withholding.Base)}", labelX - 120, _y, _regular);
                    Text("-" + Money(withholding.Withheld), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                    _y += LineHeight;
                }

                Text("Amount payable", labelX, _y, _bold);
                Text(Money(invoice.Payable), PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            }

            if (invoice.Installments.Count > 1)
            {
                _y += LineHeight * 1.5f;
                foreach (var installment in invoice.Installments)
                {
                    Text($"Installment {installment.Number} due {Date(installment.DueDate)}", labelX - 120, _y, _regular);
                    Text(Money(installment.Amount), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                    _y += LineHeight;
                }
            }
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

        private void Text(string text, float x, float y, Style style, SKTextAlign align = SKTextAlign.Left) =>
            _pages.Text(_pages.Count - 1, TextShaper.Shape(text, style.Bold, style.Size), x, y, align, Ink);
    }
}
