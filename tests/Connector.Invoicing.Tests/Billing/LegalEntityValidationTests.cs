using Connector.Invoicing.LegalEntities;

namespace Connector.Invoicing.Tests.Billing;

[TestFixture]
public sealed class LegalEntityValidationTests
{
    [Test]
    public void Failures_GoodEntities_None()
    {
        Assert.That(LegalEntityValidation.Failures([Entity("ES", "ES-F", "ES-R"), Entity("DK", "DK-F", "DK-K")]), Is.Empty);
    }

    [Test]
    public void Failures_EachBadValue_OneLineNamingTheKeyTheValueAndWhatIsAllowed()
    {
        var bad = Entity("ES", "ES-F", "ES-R");
        bad.AccentColor = "blue";
        bad.Iban = "ES91 2100 0418 4502 0005 1333";
        bad.Bic = "CAIX";
        bad.LogoPath = "/no/such/logo.png";
        var twin = Entity("es", "ES-F", "DK-K");
        twin.Name = " ";

        var failures = LegalEntityValidation.Failures([bad, twin]).ToList();

        Assert.That(failures, Is.EqualTo(new[]
        {
            "Connector:Billing:LegalEntities:0:AccentColor = 'blue' is not allowed: use #RRGGBB, e.g. #0B5FFF.",
            "Connector:Billing:LegalEntities:0:Iban = 'ES91 2100 0418 4502 0005 1333' is not allowed: not a valid IBAN (country, check digits, account; the check digits must match).",
            "Connector:Billing:LegalEntities:0:Bic = 'CAIX' is not allowed: use 8 or 11 letters and digits (ISO 9362), e.g. CAIXESBBXXX.",
            "Connector:Billing:LegalEntities:0:LogoPath = '/no/such/logo.png' is not allowed: no such file.",
            "Connector:Billing:LegalEntities:1:Key = 'es' is not allowed: another entity has that key.",
            "Connector:Billing:LegalEntities:1:Name is empty: documents must name the seller.",
            "Connector:Billing:LegalEntities:1:InvoiceSeries = 'ES-F' is not allowed: Connector:Billing:LegalEntities:0:InvoiceSeries uses it; every entity needs series of its own, or documents would share numbers.",
        }));
    }

    [Test]
    public void Failures_BadElectronicAddressOrVeriFactuWithoutASpanishNif_OneLineEach()
    {
        var peppol = Entity("ES", "ES-F", "ES-R");
        peppol.EndpointId = "ESB87654321";
        peppol.EndpointScheme = "ES";
        var veriFactu = Entity("DK", "DK-F", "DK-K");
        veriFactu.VeriFactu = true;
        veriFactu.TaxId = "DK12345674";
        veriFactu.Country = "DK";

        var failures = LegalEntityValidation.Failures([peppol, veriFactu]).ToList();

        Assert.That(failures, Is.EqualTo(new[]
        {
            "Connector:Billing:LegalEntities:0:EndpointScheme = 'ES' is not allowed: use a 4-digit ISO 6523 / Peppol EAS code, e.g. 9920 (Spanish VAT), 0088 (GLN).",
            "Connector:Billing:LegalEntities:1:TaxId = 'DK12345674' is not allowed with VeriFactu on: VERI*FACTU records need the Spanish NIF (9 characters, e.g. B87654321).",
            "Connector:Billing:LegalEntities:1:Country = 'DK' is not allowed with VeriFactu on: VERI*FACTU is for companies in Spain (ES).",
        }));
    }

    [TestCase("ES91 2100 0418 4502 0005 1332", true)]
    [TestCase("es9121000418450200051332", true)]
    [TestCase("DE89 3704 0044 0532 0130 00", true)]
    [TestCase("DK50 0040 0440 1162 43", true)]
    [TestCase("DE89 3704 0044 0532 0130 01", false)]
    [TestCase("XX", false)]
    public void IsValidIban_ChecksTheCheckDigits(string iban, bool valid)
    {
        Assert.That(BankAccount.IsValidIban(iban), Is.EqualTo(valid));
    }

    [Test]
    public void Print_Iban_InGroupsOfFour()
    {
        Assert.That(BankAccount.Print("es9121000418450200051332"), Is.EqualTo("ES91 2100 0418 4502 0005 1332"));
    }

    private static LegalEntityOptions Entity(string key, string invoices, string notes) =>
        new() { Key = key, Name = "Entity " + key, InvoiceSeries = invoices, CreditNoteSeries = notes, Iban = "ES91 2100 0418 4502 0005 1332", Bic = "CAIXESBBXXX", AccentColor = "#0B5FFF" };
}
