using Connector.Invoicing.Documents;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using UglyToad.PdfPig;

namespace Connector.Invoicing.Tests.Documents;

[TestFixture]
public sealed class PdfRendererTests
{
    [Test]
    public void Render_PostedInvoice_PdfHoldsTheLegalMinimum()
    {
        // Arrange
        var invoice = Invoice(lineCount: 2);

        // Act
        var pdf = PdfRenderer.Render(invoice);
        var text = Text(pdf);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("INV-000042"));
            Assert.That(text, Does.Contain("Issue date: 2026-03-01"));
            Assert.That(text, Does.Contain("Due date: 2026-03-31"));
            Assert.That(text, Does.Contain("Seller Co SL").And.Contain("B12345678"));
            Assert.That(text, Does.Contain("Buyer GmbH").And.Contain("Friedrichstraße 100").And.Contain("DE999999999"));
            Assert.That(text, Does.Contain("2026-03-01 – 2026-03-31"));
            Assert.That(text, Does.Contain("Net total").And.Contain("2,468.00 EUR"));
            Assert.That(text, Does.Contain("VAT 21% on 2,468.00 EUR").And.Contain("518.28 EUR"));
            Assert.That(text, Does.Contain("Total").And.Contain("2,986.28 EUR"));
        }
    }

    [Test]
    public void Render_UsageLines_ShowTheQuantityWithItsUnitAndEachRateThatPricedIt()
    {
        // Arrange: 18,250 calls on a Slab schedule (10,000 at 0.002, the rest at 0.001), and a late line for 1,750 more.
        var schedule = Connector.Invoicing.Usage.ConsumptionSchedule.Create(Connector.Invoicing.Usage.ConsumptionType.Slab, 1, "Call", null,
            [(1, 10_000, 0.002m, Connector.Invoicing.Usage.PricingMethod.PerUnit), (10_001, null, 0.001m, Connector.Invoicing.Usage.PricingMethod.PerUnit)]);
        var plain = Invoice(lineCount: 1);
        var usage = plain.Lines[0] with
        {
            Quantity = 18_250m, Net = Amount.Round(28.25m, Currency.Eur),
            Usage = new Connector.Invoicing.Usage.UsageDetail(["u-1"], "Call", schedule.Rate(18_250m).Tiers, Late: false),
        };
        var late = usage with
        {
            LineNumber = 2, Quantity = 1_750m, Net = Amount.Round(1.75m, Currency.Eur),
            Usage = new Connector.Invoicing.Usage.UsageDetail(["u-2"], "Call", schedule.Rate(20_000m).Tiers, Late: true, 28.25m, 20_000m),
        };
        var invoice = plain with { Lines = [usage, late] };

        // Act
        var text = Text(PdfRenderer.Render(invoice));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("Usage: 18250 Call"));
            Assert.That(text, Does.Contain("Rate 1 (1–10000): 10000 Call × 0.002 = 20").And.Contain("Rate 2 (10001+): 8250 Call × 0.001 = 8.25"));
            Assert.That(text, Does.Contain("Late usage: 1750 Call more; period total 20000 Call, 28.25 EUR billed before"));
            Assert.That(text, Does.Contain("Rate 2 (10001+): 10000 Call × 0.001 = 10"), "the late line's breakdown is the new total's");
        }
    }

    [Test]
    public void Render_InvoiceWithIrpfAndInstallments_ShowsTheWithholdingThePayableAmountAndEachInstallment()
    {
        // Arrange: 2,468.00 net, 21 % VAT, 15 % IRPF withheld (370.20): 2,616.08 payable in two installments.
        var plain = Invoice(lineCount: 2);
        var lines = plain.Lines.Select(l => l with { WithholdingPercent = 15m }).ToList();
        var withholdings = TaxCalculator.Withholdings(lines, Currency.Eur);
        var payable = plain.Total - Amount.Sum(withholdings.Select(w => w.Withheld), Currency.Eur);
        var invoice = plain with
        {
            Lines = lines,
            Withholdings = withholdings,
            Installments = Connector.Invoicing.Terms.PaymentTerms.TryParse("50%/0d, 50%/30d")!.Schedule(plain.IssueDate, payable),
        };

        // Act
        var text = Text(PdfRenderer.Render(invoice));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("Withholding 15% on 2,468.00 EUR").And.Contain("-370.20 EUR"));
            Assert.That(text, Does.Contain("Amount payable").And.Contain("2,616.08 EUR"));
            Assert.That(text, Does.Contain("Installment 1 due 2026-03-01").And.Contain("Installment 2 due 2026-03-31").And.Contain("1,308.04 EUR"));
        }
    }

    [Test]
    public void Render_ManyLines_FlowOntoPagesWithTheHeaderRepeatedPageXOfYAndTotalsOnTheLast()
    {
        var invoice = Invoice(lineCount: 80);

        using var document = PdfDocument.Open(PdfRenderer.Render(invoice));
        var pages = document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pages, Has.Count.GreaterThan(1));
            Assert.That(string.Join(" ", pages), Does.Contain("Product 80"));
            for (var i = 0; i < pages.Count; i++)
            {
                Assert.That(pages[i], Does.Contain($"page {i + 1} of {pages.Count}"));
                Assert.That(pages[i], Does.Contain("Description").And.Contain("Service period"), $"the table header on page {i + 1}");
                Assert.That(pages[i].Contains("Net total", StringComparison.Ordinal), Is.EqualTo(i == pages.Count - 1), $"totals on the last page only (page {i + 1})");
            }
        }
    }

    [Test]
    public void Render_LongDescription_WrapsWithoutLosingAWord()
    {
        // A Salesforce product name of 255 characters, in words, plus the order number the run adds.
        var words = Enumerable.Range(1, 32).Select(i => $"word{i:00}").ToList(); // 255 characters
        var description = string.Join(" ", words) + ", Monthly (order 00000101)";
        var invoice = Invoice(lineCount: 2);
        invoice = invoice with { Lines = [invoice.Lines[0] with { Description = description }, invoice.Lines[1]] };

        var text = Text(PdfRenderer.Render(invoice));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(words.Where(w => !text.Contains(w, StringComparison.Ordinal)), Is.Empty, "every word prints");
            Assert.That(text, Does.Contain("00000101)").And.Not.Contain("…"), "nothing is cut");
        }
    }

    [Test]
    public void Render_BuyerInGreekAndCyrillicWithEuroAmounts_EveryCharacterSurvivesAndTheFileStaysSmall()
    {
        // Arrange: each document embeds only the glyphs it uses (Skia would embed whole fonts).
        var invoice = Invoice(lineCount: 2) with { Buyer = new Party("Ελληνική Εταιρεία Α.Ε. · ООО «Ромашка» · Łódź Zażółć", Country: "GR") };

        // Act
        var pdf = PdfRenderer.Render(invoice);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Text(pdf), Does.Contain("Ελληνική").And.Contain("Ромашка").And.Contain("Zażółć"), "a long name wraps onto a second line");
            Assert.That(pdf.Length, Is.LessThan(40_000), "a one-page invoice embeds its fonts cut to the glyphs it uses (Salesforce file storage is paid)");
        }
    }

    [TestCase("שלום בע״מ", TestName = "Render_HebrewName_PrintsEveryLetter")]
    [TestCase("شركة الأمل", TestName = "Render_ArabicName_PrintsEveryLetter")]
    [TestCase("株式会社東京商事", TestName = "Render_JapaneseName_PrintsEveryLetter")]
    [TestCase("北京科技有限公司", TestName = "Render_ChineseName_PrintsEveryLetter")]
    [TestCase("삼성전자 주식회사", TestName = "Render_KoreanName_PrintsEveryLetter")]
    [TestCase("Ελληνική Εταιρεία · ООО «Ромашка»", TestName = "Render_GreekAndCyrillicName_PrintsEveryLetter")]
    [TestCase("Acme שלום 2026 Ltd", TestName = "Render_MixedDirectionName_PrintsEveryLetter")]
    public void Render_NameInAnotherScript_PrintsEveryLetterAndTheFileStaysSmall(string name)
    {
        var invoice = Invoice(lineCount: 2) with { Buyer = new Party(name, Country: "IL") };

        var rendered = PdfRenderer.Draw(invoice);

        using (Assert.EnterMultipleScope())
        {
            // Right-to-left text reads back in visual order (and a lam-alef ligature as one glyph): compare the letters.
            var printed = Letters(PageText(rendered.Pdf)).Where(c => c > 0x2FF).Order();
            Assert.That(new string([.. printed]), Is.EqualTo(new string([.. Letters(name).Where(c => c > 0x2FF).Order()])), "every letter prints");
            Assert.That(rendered.Replaced, Is.Empty);
            Assert.That(rendered.Pdf.Length, Is.LessThan(40_000), "fonts are cut to the glyphs used");
        }
    }

    [Test]
    public void Render_CharacterNoFontHas_PrintsAVisibleReplacementAndReportsIt()
    {
        var invoice = Invoice(lineCount: 2) with { Buyer = new Party("Happy 𓀀 Corp", Country: "US") };

        var rendered = PdfRenderer.Draw(invoice);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.Replaced, Is.EqualTo(new[] { "𓀀" }));
            Assert.That(Text(rendered.Pdf), Does.Contain("Happy \uFFFD Corp"));
        }
    }

    [Test]
    public void Render_HundredThousandCharacterNamesAndControlCharacters_CutVisiblyOnTheirLine()
    {
        // Arrange: a hostile org's texts: a product name of 100,000 characters, a buyer name with control characters.
        var invoice = Invoice(lineCount: 2);
        invoice = invoice with
        {
            Lines = [invoice.Lines[0] with { Description = "Platform " + new string('W', 100_000) }, invoice.Lines[1]],
            Buyer = new Party("Evil\u0000Corp\u001b[31m " + new string('N', 100_000), Country: "DE"),
        };

        // Act
        var text = Text(PdfRenderer.Render(invoice));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("Platform WWW").And.Contain("W…"), "cut, visibly");
            Assert.That(text, Does.Not.Contain(new string('W', 200)), "no longer than its column");
            Assert.That(text, Does.Contain("Evil Corp").And.Contain("N…"));
            Assert.That(text.Where(c => c != '\n').Any(char.IsControl), Is.False, "control characters become spaces");
            Assert.That(text, Does.Contain("Product 2"), "the rest of the invoice is there");
        }
    }

    [Test]
    public void Render_SameInvoiceTwice_SameBytes()
    {
        var invoice = Invoice(lineCount: 3);

        var first = PdfRenderer.Render(invoice);
        var second = PdfRenderer.Render(invoice with { });

        Assert.That(second, Is.EqualTo(first));
    }

    private static string Letters(string text) => new([.. text.Normalize(System.Text.NormalizationForm.FormKC).Where(char.IsLetter)]);

    private static string PageText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => p.Text));
    }

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => p.Text + "\n" + string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    internal static Invoice Invoice(int lineCount)
    {
        var lines = Enumerable.Range(1, lineCount).Select(i => new InvoiceLine(i, "801", "802-" + i, $"Product {i}",
            new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), i, 1m,
            Amount.FromMinorUnits(123_400 * i / lineCount * 2 / 3 * 3 / 2, Currency.Eur), 21m, "test")).ToList();
        if (lineCount == 2)
        {
            lines = [lines[0] with { Net = Amount.FromMinorUnits(123_400, Currency.Eur) }, lines[1] with { Net = Amount.FromMinorUnits(123_400, Currency.Eur) }];
        }

        return new Invoice
        {
            Id = 42,
            Number = "INV-000042",
            AccountId = "001A",
            Seller = new Party("Seller Co SL", "B12345678", "Gran Vía 1", "Madrid", "28013", "ES"),
            Buyer = new Party("Buyer GmbH", "DE999999999", "Friedrichstraße 100", "Berlin", "10117", "DE"),
            Currency = Currency.Eur,
            IssueDate = new DateOnly(2026, 3, 1),
            DueDate = new DateOnly(2026, 3, 31),
            Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument),
        };
    }
}
