using System.Collections.Concurrent;
using System.Globalization;
using Connector.Invoicing.Documents.Typesetting;
using Connector.Invoicing.LegalEntities;
using Connector.Invoicing.Money;
using SkiaSharp;

namespace Connector.Invoicing.Documents;

/// <summary>The totals, the legal notes, and what the issuing entity's branding adds (logo, colour, bank account, footer).</summary>
internal static partial class PdfRenderer
{
    /// <summary>Logos by path, decoded once per process.</summary>
    private static readonly ConcurrentDictionary<string, SKImage?> Logos = new(StringComparer.Ordinal);

    private static SKImage? Logo(string? path) =>
        path is null ? null : Logos.GetOrAdd(path, p => File.Exists(p) ? SKImage.FromEncodedData(p) : null);

    /// <summary>The CEF VATEX codes whose wording the language files hold (reverse charge, not subject, intra-Community supply).</summary>
    private static readonly Dictionary<string, string> ExemptionTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        [ReverseChargeCode] = "reverseCharge",
        ["VATEX-EU-O"] = "notSubject",
        ["VATEX-EU-IC"] = "intraCommunity",
    };

    private static bool IsReverseCharge(string? exemptReason) => exemptReason is not null && EInvoices.VatCategory.Of(0m, exemptReason).Code == "AE";

    private static SKColor Accent(string? color) =>
        color is not null && SKColor.TryParse(color, out var parsed) ? parsed : SKColors.Black;

    private sealed partial class Writer
    {
        private void Totals()
        {
            EnsureRoom(LineHeight * (_document.Taxes.Count + _document.Withholdings.Count + printed.Installments.Count + 7));
            var labelX = PageWidth - Margin - 150;
            var wideX = labelX - 120;
            Sum("netTotal", _document.Net, labelX, _regular);
            foreach (var tax in _document.Taxes)
            {
                // Under reverse charge the seller shows no VAT (§ 14a Abs. 5 UStG; momsbekendtgørelsen § 59): the base only.
                var reverse = IsReverseCharge(tax.ExemptReason);
                var label = reverse
                    ? language.Text("vatReverseCharge", ("base", language.Money(tax.Base)))
                    : language.Text("vatOn", ("rate", language.Percent(tax.RatePercent)), ("base", language.Money(tax.Base)));
                Text(Fit(label, PageWidth - Margin - 90 - wideX), wideX, _y, _regular);
                if (!reverse)
                {
                    Text(language.Money(tax.Tax), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                }

                _y += LineHeight;
            }

            if (!_document.Taxes.All(t => IsReverseCharge(t.ExemptReason)))
            {
                Sum("vatTotal", _document.Tax, labelX, _regular);
            }

            Text(language.Text("total"), labelX, _y, _bold);
            Text(language.Money(_document.Total), PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            if (_document.Withholdings.Count > 0)
            {
                _y += LineHeight;
                foreach (var withholding in _document.Withholdings)
                {
                    Text(language.Text("withholding", ("rate", language.Percent(withholding.RatePercent)), ("base", language.Money(withholding.Base))), wideX, _y, _regular);
                    Text("-" + language.Money(withholding.Withheld), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                    _y += LineHeight;
                }

                Text(language.Text("payable"), labelX, _y, _bold);
                Text(language.Money(_document.Payable), PageWidth - Margin, _y, _bold, SKTextAlign.Right);
            }

            if (printed.Installments.Count > 1)
            {
                _y += LineHeight * 1.5f;
                foreach (var installment in printed.Installments)
                {
                    var label = language.Text("installment", ("number", installment.Number.ToString(CultureInfo.InvariantCulture)), ("date", language.Date(installment.DueDate)));
                    Text(label, wideX, _y, _regular);
                    Text(language.Money(installment.Amount), PageWidth - Margin, _y, _regular, SKTextAlign.Right);
                    _y += LineHeight;
                }
            }

            _y += LineHeight;
        }

        /// <summary>
        /// Why a VAT rate is 0: for a CEF VATEX code (VATEX-EU-AE reverse charge, VATEX-EU-O not subject, VATEX-EU-IC
        /// intra-Community supply) the wording of the buyer's language with the rule it rests on; otherwise the reason as mapped.
        /// </summary>
        private void LegalNotes()
        {
            var notes = _document.Taxes.Where(t => t.ExemptReason is not null).Select(t => t.ExemptReason!).Distinct(StringComparer.Ordinal)
                .Select(reason => ExemptionTexts.TryGetValue(EInvoices.VatCategory.Of(0m, reason).ReasonCode ?? reason.Trim(), out var key) ? language.Text(key) : language.Text("exempt", ("reason", reason)))
                .SelectMany(note => Wrap(note, PageWidth - (2 * Margin), maxLines: 4))
                .ToList();
            if (notes.Count == 0)
            {
                return;
            }

            EnsureRoom(LineHeight * (notes.Count + 1));
            _y += LineHeight / 2;
            foreach (var note in notes)
            {
                Text(note, Margin, _y, _regular);
                _y += LineHeight;
            }
        }

        private void Sum(string key, Amount amount, float labelX, Style style)
        {
            Text(language.Text(key), labelX, _y, style);
            Text(language.Money(amount), PageWidth - Margin, _y, style, SKTextAlign.Right);
            _y += LineHeight;
        }

        /// <summary>The entity's logo at the top left, at most 160 x 40 points, with the title moved below it.</summary>
        private void LogoAtTheTop()
        {
            if (Logo(printed.Branding.LogoPath) is not { } logo)
            {
                return;
            }

            var scale = Math.Min(160f / logo.Width, 40f / logo.Height);
            var rect = SKRect.Create(Margin, Margin - 24, logo.Width * scale, logo.Height * scale);
            _pages.Image(0, logo, rect);
            _y = rect.Bottom + 28;
        }

        /// <summary>Where an invoice is paid: the issuing entity's bank account.</summary>
        private void PaymentDetails()
        {
            if (printed.IsCreditNote || printed.Branding.Iban is not { } iban)
            {
                return;
            }

            var account = "IBAN " + BankAccount.Print(iban) + (printed.Branding.Bic is { } bic ? ", BIC " + bic.Trim().ToUpperInvariant() : "");
            EnsureRoom(LineHeight * 2);
            _y += LineHeight / 2;
            Text(Fit(language.Text("payment.bank", ("account", account)), PageWidth - (2 * Margin)), Margin, _y, _regular);
            _y += LineHeight;
        }
    }
}
