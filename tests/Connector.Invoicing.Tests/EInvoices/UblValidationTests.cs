using System.Text;
using System.Xml.Linq;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Documents;
using Connector.Invoicing.EInvoices;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.LegalEntities;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Tests.EInvoices;

/// <summary>
/// UBL files of every kind of posted document the engine makes, checked by the official validators (the UBL 2.1 schema
/// and CEN's EN 16931 rules) in one call: VAT categories S, Z, E, AE, K and O, withholding, installments, a discount
/// line, other currencies, credit notes with and without a corrected invoice, XRechnung's customization.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class UblValidationTests
{
    private static readonly Party Seller = new("Ejemplo Software SL", "B87654321", "Calle de Serrano 41", "Madrid", "28001", "ES", EndpointId: "ESB87654321", EndpointScheme: "9920");

    private static readonly Party German = new("Globex GmbH", "DE123456789", "Friedrichstraße 100", "Berlin", "10117", "DE", "de", "DE123456789", "9930", "04011000-12345-34");

    private static readonly Branding Bank = new(null, null, "ES91 2100 0418 4502 0005 1332", "CAIXESBBXXX", null);

    private DirectoryInfo _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("ubl-");

    [TearDown]
    public void TearDown() => _folder.Delete(recursive: true);

    /// <summary>Every document the engine can post, by what makes it different.</summary>
    private static IEnumerable<(string Name, PrintedDocument Printed, bool XRechnung)> Documents()
    {
        var spanish = Seller with { Name = "Acme Iberia SL", TaxId = "B12345674", Street = "Calle de Alcalá 42", PostalCode = "28014", EndpointId = "ESB12345674", Reference = "COMPRAS-2026" };
        yield return ("standard-rate", Printed(Invoice(spanish, Lines(21m, null))), false);
        yield return ("zero-rated", Printed(Invoice(spanish, Lines(0m, null))), false);
        yield return ("exempt", Printed(Invoice(spanish, Lines(0m, "Exenta art. 20.Uno.9º LIVA (educación)"))), false);
        yield return ("reverse-charge", Printed(Invoice(German, Lines(0m, "VATEX-EU-AE"))), false);
        yield return ("intra-community", Printed(Invoice(German, Lines(0m, "VATEX-EU-IC"))), false);
        var british = new Party("Initech Ltd", "GB123456789", "1 Office Park", "London", "EC1A 1BB", "GB", "en");
        yield return ("not-subject", Printed(Invoice(british, Lines(0m, "VATEX-EU-O"))), false);
        yield return ("no-buyer-address-but-country", Printed(Invoice(new Party("شركة الأمل للتجارة", null, Country: "AE"), Lines(0m, "VATEX-EU-O"))), false);

        var withheld = Lines(21m, null).Select(l => l with { WithholdingPercent = 15m }).ToList();
        yield return ("irpf-withholding", Printed(Invoice(spanish, withheld) with { Withholdings = TaxCalculator.Withholdings(withheld, Currency.Eur) }), false);

        var plan = Invoice(spanish, Lines(21m, null));
        yield return ("installments", Printed(plan with
        {
            Installments = [new Installment(1, new DateOnly(2026, 3, 31), Amount.Round(plan.Payable.Value * 0.3m, Currency.Eur)),
                new Installment(2, new DateOnly(2026, 4, 30), plan.Payable - Amount.Round(plan.Payable.Value * 0.3m, Currency.Eur))],
        }), false);

        var discounted = Lines(21m, null).Append(Line(3, "Loyalty discount", -1m, -15_000, 21m, null)).ToList();
        yield return ("discount-line", Printed(Invoice(spanish, discounted)), false);
        yield return ("mixed-rates", Printed(Invoice(spanish, [Line(1, "Books", 2m, 4_000, 4m, null), Line(2, "Platform", 1m, 100_000, 21m, null), Line(3, "Training", 1m, 50_000, 0m, "Exenta art. 20.Uno.9º LIVA")])), false);

        var danish = new Party("Nordlys ApS", "DK12345674", "Vesterbrogade 12", "København V", "1620", "DK", "da", "12345674", "0184");
        var crowns = Currency.Of("DKK");
        var dkLines = new List<InvoiceLine> { Line(1, "Platform Subscription", 3m, 745_000, 0m, "VATEX-EU-AE", crowns) };
        yield return ("danish-crowns", Printed(Invoice(danish, dkLines, crowns)), false);
        var yen = Currency.Of("JPY");
        var jpLines = new List<InvoiceLine> { Line(1, "Platform", 1m, 120_000, 0m, "VATEX-EU-O", yen) };
        yield return ("yen-no-minor-units", Printed(Invoice(new Party("株式会社テスト", "T1234567890123", "1-1 Marunouchi", "東京", "100-0005", "JP", "en"), jpLines, yen)), false);
        yield return ("xrechnung", Printed(Invoice(German, Lines(0m, "VATEX-EU-AE"))), true);

        var corrected = Invoice(spanish, Lines(21m, null));
        var creditLines = new List<InvoiceLine> { Line(1, "Platform Subscription", 1m, 50_000, 21m, null) with { CorrectedLine = 1 } };
        yield return ("credit-note", PrintedDocument.Of(CreditNote(creditLines, corrected.Number, corrected.IssueDate, CreditReasons.Cancellation("801A", new DateOnly(2026, 3, 20))), Seller, spanish) with { Branding = Bank }, false);
        yield return ("account-credit-note", PrintedDocument.Of(CreditNote(creditLines, null, null, CreditReasons.AccountCredit), Seller, spanish), false);
        var reverseCredit = new List<InvoiceLine> { Line(1, "Platform Subscription", 1m, 50_000, 0m, "VATEX-EU-AE") };
        yield return ("reverse-charge-credit-note", PrintedDocument.Of(CreditNote(reverseCredit, "INV-000002", new DateOnly(2026, 3, 1), "Discount agreed"), Seller, German), false);
    }

    [Test]
    public void Write_EveryKindOfPostedDocument_PassesTheUblSchemaAndTheEn16931RulesWithNoFatalError()
    {
        var files = Documents().Select(d => Save(d.Name, UblWriter.Write(d.Printed, d.XRechnung))).ToList();

        var fatal = EInvoiceValidator.Fatal(files);

        Assert.That(fatal, Is.Empty, "files with fatal errors, and the rules they break");
    }

    [Test]
    public void Write_TamperedDocuments_FailTheValidatorsOnTheRuleTheyBreak()
    {
        // Arrange: valid files, each then broken as a careless editor would (so the check above can fail).
        var invoice = Encoding.UTF8.GetString(UblWriter.Write(Printed(Invoice(German, Lines(21m, null)))));
        var payable = Save("payable", Edit(invoice, "PayableAmount", v => (decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture) + 10m).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var type = Save("type-code", Edit(invoice, "InvoiceTypeCode", _ => "999"));
        var lines = Save("line-sum", Edit(invoice, "LineExtensionAmount", v => v + "1"));

        // Act
        var fatal = EInvoiceValidator.Fatal([payable, type, lines]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fatal["payable.xml"], Has.Some.StartsWith("BR-CO-16"));
            Assert.That(fatal["type-code.xml"], Has.Some.StartsWith("BR-CL-01"));
            Assert.That(fatal["line-sum.xml"], Has.Some.StartsWith("BR-CO-10"));
        }
    }

    [Test]
    public void Write_PostedInvoice_StatesThePostedAmountsPartiesAndPeriods()
    {
        var printed = Printed(Invoice(German, Lines(0m, "VATEX-EU-AE")));

        var xml = XDocument.Parse(Encoding.UTF8.GetString(UblWriter.Write(printed)));

        XNamespace cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
        string Value(string name) => xml.Descendants(cbc + name).First().Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Value("CustomizationID"), Is.EqualTo(UblWriter.PeppolCustomization));
            Assert.That(Value("PayableAmount"), Is.EqualTo(printed.Document.Payable.ToPlainString()));
            Assert.That(Value("TaxExclusiveAmount"), Is.EqualTo(printed.Document.Net.ToPlainString()));
            Assert.That(xml.Descendants(cbc + "EndpointID").Select(e => (e.Attribute("schemeID")!.Value, e.Value)), Is.EqualTo(new[] { ("9920", "ESB87654321"), ("9930", "DE123456789") }));
            Assert.That(Value("BuyerReference"), Is.EqualTo("04011000-12345-34"));
            Assert.That(xml.Descendants(cbc + "CompanyID").Select(e => e.Value), Is.SupersetOf(new[] { "ESB87654321", "DE123456789" }), "both VAT ids under reverse charge (BR-AE-02), the seller's with its country prefix");
            Assert.That(Value("TaxExemptionReasonCode"), Is.EqualTo("VATEX-EU-AE"));
            Assert.That(xml.Descendants(cbc + "StartDate").Select(e => e.Value).Distinct(), Is.EqualTo(new[] { "2026-03-01" }));
            Assert.That(Value("ID"), Is.EqualTo(printed.Document.Number));
        }
    }

    [TestCase(true, "DE", UblWriter.XRechnungCustomization)]
    [TestCase(true, "ES", UblWriter.PeppolCustomization)]
    [TestCase(false, "DE", UblWriter.PeppolCustomization)]
    public void Write_XRechnungForGermanBuyers_OnlyGermanBuyersGetXRechnungsCustomization(bool option, string country, string expected)
    {
        var printed = Printed(Invoice(German with { Country = country }, Lines(21m, null)));

        var xml = XDocument.Parse(Encoding.UTF8.GetString(UblWriter.Write(printed, option)));

        Assert.That(xml.Descendants().First(e => e.Name.LocalName == "CustomizationID").Value, Is.EqualTo(expected));
    }

    [Test]
    public void Write_SameDocumentTwice_GivesTheSameBytes()
    {
        var first = UblWriter.Write(Printed(Invoice(German, Lines(21m, null))));

        var second = UblWriter.Write(Printed(Invoice(German, Lines(21m, null))));

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase("B12345678", "ES", "ESB12345678")]
    [TestCase("ESB12345678", "ES", "ESB12345678")]
    [TestCase("DE 123 456 789", "DE", "DE123456789")]
    [TestCase("123456789", "GR", "EL123456789")]
    [TestCase("X1234567L", "ES", "ESX1234567L")]
    public void VatId_WithOrWithoutItsCountryPrefix_CarriesThePrefix(string taxId, string country, string expected) =>
        Assert.That(UblWriter.VatIdOf(taxId, country), Is.EqualTo(expected));

    [Test]
    public void Gaps_DocumentMissingCountriesAndTaxIds_NameTheRulesAndWhatToMap()
    {
        var printed = PrintedDocument.Of(Invoice(new Party("Buyer", Country: "Spain"), Lines(0m, "VATEX-EU-AE")) with { Seller = new Party("Seller") });

        var gaps = UblWriter.Gaps(printed with { Seller = new Party("Seller") });

        Assert.That(gaps.Select(g => g.Rule), Is.EquivalentTo(new[] { "BR-09", "BR-CL-14", "BR-CL-14", "BR-CO-26", "BR-AE-02", "BR-AE-02" }));
        Assert.That(gaps.Last(g => g.Rule == "BR-CL-14").Missing, Does.Contain("accountCountry").And.Contain("'Spain'"));
    }

    [Test]
    public void Gaps_CompleteDocument_None() =>
        Assert.That(UblWriter.Gaps(Printed(Invoice(German, Lines(0m, "VATEX-EU-AE")))), Is.Empty);

    private string Save(string name, byte[] content)
    {
        var path = Path.Combine(_folder.FullName, name + ".xml");
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Save(string name, string content) => Save(name, Encoding.UTF8.GetBytes(content));

    /// <summary>The document with the first element called <paramref name="element"/> given a new value.</summary>
    private static string Edit(string xml, string element, Func<string, string> change)
    {
        var document = XDocument.Parse(xml);
        var target = document.Descendants().First(e => e.Name.LocalName == element);
        target.Value = change(target.Value);
        return document.Declaration + Environment.NewLine + document.ToString();
    }

    private static PrintedDocument Printed(Invoice invoice) => PrintedDocument.Of(invoice) with { Branding = Bank };

    private static InvoiceLine Line(int number, string description, decimal quantity, long netMinor, decimal rate, string? reason, Currency? currency = null) =>
        new(number, "801A", "802-" + number, description, new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), quantity, 1m,
            Amount.FromMinorUnits(netMinor, currency ?? Currency.Eur), rate, $"{quantity} × … = {netMinor}")
        {
            TaxExemptReason = reason,
        };

    private static List<InvoiceLine> Lines(decimal rate, string? reason) =>
        [Line(1, "Platform Subscription, mensual (pedido 00000101)", 10m, 100_000, rate, reason), Line(2, "Onboarding", 1m, 250_000, rate, reason)];

    private static Invoice Invoice(Party buyer, IReadOnlyList<InvoiceLine> lines, Currency? currency = null)
    {
        var money = currency ?? Currency.Eur;
        return new Invoice
        {
            Id = 1, Number = "INV-000001", AccountId = "001A", Seller = Seller, Buyer = buyer, Currency = money,
            IssueDate = new DateOnly(2026, 3, 1), DueDate = new DateOnly(2026, 3, 31), Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, money, TaxRounding.PerRateOnDocument),
        };
    }

    private static CreditNote CreditNote(IReadOnlyList<InvoiceLine> lines, string? corrects, DateOnly? correctsDate, string reason) => new()
    {
        Number = "CN-000001", AccountId = "001A", Currency = Currency.Eur, IssueDate = new DateOnly(2026, 3, 20), Lines = lines,
        Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument), CorrectsNumber = corrects, CorrectsIssueDate = correctsDate, Reason = reason,
    };
}
