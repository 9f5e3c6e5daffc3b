using System.Xml.Linq;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.VeriFactu;

namespace Connector.Invoicing.Tests.VeriFactu;

/// <summary>
/// Registration records as AEAT's schema names their elements, their fingerprints, and the chain check an outside
/// checker would run: recomputed from the XML alone, the first break named.
/// </summary>
[TestFixture]
public sealed class RegistroTests
{
    private static readonly Party Seller = new("Ejemplo Software SL", "ESB87654321", "Calle de Serrano 41", "Madrid", "28001", "ES");
    private static readonly Party Spanish = new("Acme Iberia SL", "B12345674", Country: "ES");
    private static readonly Party German = new("Globex GmbH", "DE123456789", Country: "DE");
    private static readonly SistemaInformatico System = new("Ejemplo Software SL", "B87654321", "Salesforce invoicing connector", "SC", "1.0", "1");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 57, 35, TimeSpan.Zero);
    private static readonly XNamespace Sum1 = RegistroWriter.Namespace;

    [Test]
    public void AltaOf_Invoice_IsAnF1InAeatsStructureWhoseFingerprintItsOwnFieldsGive()
    {
        var record = RegistroWriter.AltaOf(Invoice("INV-000001", 21m, null), Seller, Spanish, null, Now, System);

        var xml = XElement.Parse(record.Xml);
        string Value(string name) => xml.Descendants(Sum1 + name).First().Value;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(xml.Name, Is.EqualTo(Sum1 + "RegistroAlta"));
            Assert.That((Value("IDEmisorFactura"), Value("NumSerieFactura"), Value("FechaExpedicionFactura"), Value("TipoFactura")), Is.EqualTo(("B87654321", "INV-000001", "01-03-2026", "F1")),
                "the NIF without its ES prefix, the date as dd-MM-yyyy");
            Assert.That((Value("CuotaTotal"), Value("ImporteTotal")), Is.EqualTo(("735.00", "4235.00")));
            Assert.That(Value("CalificacionOperacion"), Is.EqualTo("S1"));
            Assert.That(Value("NIF"), Is.EqualTo("B12345674"), "a Spanish buyer by its NIF");
            Assert.That(Value("PrimerRegistro"), Is.EqualTo("S"));
            Assert.That(Value("FechaHoraHusoGenRegistro"), Is.EqualTo("2026-12-04T10:57:35+01:00"), "Spain's peninsular time, with its offset");
            Assert.That(record.Huella, Is.EqualTo(Huella.Alta("B87654321", "INV-000001", "01-03-2026", "F1", "735.00", "4235.00", null, "2026-12-04T10:57:35+01:00")));
            Assert.That(xml.Elements(Sum1 + "Huella").Single().Value, Is.EqualTo(record.Huella));
        }
    }

    [Test]
    public void AltaOf_CreditNote_IsAnR1ByDifferencesNamingTheCorrectedInvoiceWithNegativeAmounts()
    {
        var first = RegistroWriter.AltaOf(Invoice("INV-000001", 21m, null), Seller, Spanish, null, Now, System);
        var note = new CreditNote
        {
            Number = "CN-000001", AccountId = "001A", Currency = Currency.Eur, IssueDate = new DateOnly(2026, 3, 20), Lines = Lines(21m, null),
            Taxes = TaxCalculator.Taxes(Lines(21m, null), Currency.Eur, TaxRounding.PerRateOnDocument), CorrectsNumber = "INV-000001",
            CorrectsIssueDate = new DateOnly(2026, 3, 1), Reason = CreditReasons.Cancellation("801A", new DateOnly(2026, 3, 20)),
        };

        var record = RegistroWriter.AltaOf(note, Seller, Spanish, first.Link, Now.AddSeconds(5), System);

        var xml = XElement.Parse(record.Xml);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((record.InvoiceType, record.TotalTax, record.TotalAmount), Is.EqualTo(("R1", "-735.00", "-4235.00")));
            Assert.That(xml.Element(Sum1 + "TipoRectificativa")!.Value, Is.EqualTo("I"));
            Assert.That(xml.Descendants(Sum1 + "IDFacturaRectificada").Single().Element(Sum1 + "NumSerieFactura")!.Value, Is.EqualTo("INV-000001"));
            Assert.That(xml.Descendants(Sum1 + "RegistroAnterior").Single().Element(Sum1 + "Huella")!.Value, Is.EqualTo(first.Huella));
            Assert.That(record.Huella, Is.EqualTo(Huella.Alta("B87654321", "CN-000001", "20-03-2026", "R1", "-735.00", "-4235.00", first.Huella, "2026-12-04T10:57:40+01:00")));
        }
    }

    [Test]
    public void AltaOf_ReverseChargeToAnEuBusiness_IsNotSubjectHereAndNamesTheBuyerByItsVatNumber()
    {
        var record = RegistroWriter.AltaOf(Invoice("INV-000002", 0m, "VATEX-EU-AE"), Seller, German, null, Now, System);

        var xml = XElement.Parse(record.Xml);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(xml.Descendants(Sum1 + "CalificacionOperacion").Single().Value, Is.EqualTo("N2"), "a service to an EU business is supplied where it is established (art. 69 LIVA)");
            Assert.That(xml.Descendants(Sum1 + "CuotaRepercutida"), Is.Empty);
            var other = xml.Descendants(Sum1 + "IDOtro").Single();
            Assert.That((other.Element(Sum1 + "CodigoPais")!.Value, other.Element(Sum1 + "IDType")!.Value, other.Element(Sum1 + "ID")!.Value), Is.EqualTo(("DE", "02", "DE123456789")));
            Assert.That(record.TotalTax, Is.EqualTo("0.00"));
        }
    }

    [Test]
    public void Verify_ChainOfAltasAndAnAnulacion_IsIntact()
    {
        var chain = Chain(3, withAnulacion: true);

        var report = ChainVerifier.Verify("B87654321", chain);

        Assert.That((report.Records, report.FirstBreak), Is.EqualTo((4, (ChainBreak?)null)));
    }

    [TestCase("<sum1:ImporteTotal>4235.00", "<sum1:ImporteTotal>4200.00", 2, "changed after it was written")]
    [TestCase("<sum1:TipoFactura>F1", "<sum1:TipoFactura>F2", 3, "changed after it was written")]
    public void Verify_RecordEditedAfterwards_BreaksAtThatRecord(string from, string to, int edited, string reason)
    {
        var chain = Chain(3, withAnulacion: false).ToList();
        chain[edited - 1] = chain[edited - 1] with { Xml = chain[edited - 1].Xml.Replace(from, to, StringComparison.Ordinal) };

        var report = ChainVerifier.Verify("B87654321", chain);

        Assert.That(report.FirstBreak?.Record.Sequence, Is.EqualTo(edited));
        Assert.That(report.FirstBreak?.Reason, Does.Contain(reason));
    }

    [Test]
    public void Verify_RecordRemoved_BreaksAtTheOneAfterTheGap()
    {
        var chain = Chain(3, withAnulacion: false).Where(r => r.Sequence != 2).ToList();

        var report = ChainVerifier.Verify("B87654321", chain);

        Assert.That((report.FirstBreak?.Record.Number, report.FirstBreak?.Reason), Is.EqualTo(("INV-000003", "its sequence is 3, after 1: a record is missing")));
    }

    [Test]
    public void Verify_RecordRewrittenWithAValidFingerprintButAnotherPrevious_BreaksAtTheLink()
    {
        // A forger who recomputes the record's own fingerprint still cannot link it to the real previous record.
        var chain = Chain(3, withAnulacion: false).ToList();
        var forged = RegistroWriter.AltaOf(Invoice("INV-000002", 21m, null), Seller, Spanish, null, Now, System);
        chain[1] = chain[1] with { Xml = forged.Xml, Huella = forged.Huella };

        var report = ChainVerifier.Verify("B87654321", chain);

        Assert.That((report.FirstBreak?.Record.Sequence, report.FirstBreak?.Reason), Is.EqualTo((2L, "it names no previous record (RegistroAnterior), yet records come before it")));
    }

    /// <summary>A chain of <paramref name="altas"/> invoices, and optionally the last one's annulment, as stored.</summary>
    private static List<StoredRecord> Chain(int altas, bool withAnulacion)
    {
        var records = new List<Registro>();
        for (var i = 1; i <= altas; i++)
        {
            records.Add(RegistroWriter.AltaOf(Invoice($"INV-{i:000000}", 21m, null), Seller, Spanish, records.LastOrDefault()?.Link, Now.AddSeconds(i), System));
        }

        if (withAnulacion)
        {
            records.Add(RegistroWriter.AnulacionOf("B87654321", $"INV-{altas:000000}", new DateOnly(2026, 3, 1), records[^1].Link, Now.AddMinutes(1), System));
        }

        return [.. records.Select((r, i) => new StoredRecord(i + 1, r.IssuerNif, i + 1, r.Kind, r.Number, new DateOnly(2026, 3, 1), r.Huella, r.Xml, RecordStatus.Pending, null))];
    }

    private static List<InvoiceLine> Lines(decimal rate, string? reason) =>
    [
        new(1, "801A", "802A", "Platform Subscription", new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), 10m, 1m, Amount.FromMinorUnits(100_000, Currency.Eur), rate, "test") { TaxExemptReason = reason },
        new(2, "801A", "802B", "Onboarding", new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1)), 1m, 1m, Amount.FromMinorUnits(250_000, Currency.Eur), rate, "test") { TaxExemptReason = reason },
    ];

    private static Invoice Invoice(string number, decimal rate, string? reason) => new()
    {
        Number = number, AccountId = "001A", Seller = Seller, Buyer = Spanish, Currency = Currency.Eur, IssueDate = new DateOnly(2026, 3, 1), DueDate = new DateOnly(2026, 3, 31),
        Lines = Lines(rate, reason), Taxes = TaxCalculator.Taxes(Lines(rate, reason), Currency.Eur, TaxRounding.PerRateOnDocument),
    };
}
