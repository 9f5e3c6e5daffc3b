using Connector.Invoicing.Documents;

namespace Connector.Invoicing.Tests.Documents;

[TestFixture]
public sealed class RenderResultTests
{
    [Test]
    public void Warnings_CharactersNoFontHas_NameTheInvoiceAndEachCharacterOnce()
    {
        var result = new RenderResult([], [], [("INV-000007", ["𓀀", "𓀀", "\u0FFF"])]);

        Assert.That(result.Warnings(), Is.EqualTo(new[]
        {
            "INV-000007: no shipped font has '𓀀' (U+13000), '\u0FFF' (U+0FFF); printed as \uFFFD (see Documents/Fonts/README.md to add a font).",
        }));
    }

    [Test]
    public void Warnings_ManyDocumentsMissingTheSameData_OneLineWithTheCountAndTheFirstNumbers()
    {
        IReadOnlyList<(string, string)> noCountry = [("BR-11", "the buyer's country (map accountCountry)"), ("BR-CL-14", "the buyer's country (map accountCountry)")];
        IReadOnlyList<(string, string)> noVat = [("BR-AE-02", "the buyer's VAT id (map accountTaxId)")];
        var result = new RenderResult([], [], [])
        {
            Incomplete = [.. Enumerable.Range(1, 5).Select(n => ($"INV-00000{n}", noCountry)), ("INV-000009", noVat)],
        };

        Assert.That(result.Warnings(), Is.EqualTo(new[]
        {
            "5 documents (INV-000001, INV-000002, INV-000003, …): their UBL files cannot meet EN 16931 (BR-11, BR-CL-14): missing the buyer's country (map accountCountry). The files are kept as posted; complete the data for the next documents.",
            "INV-000009: its UBL file cannot meet EN 16931 (BR-AE-02): missing the buyer's VAT id (map accountTaxId). The files are kept as posted; complete the data for the next documents.",
        }));
    }
}
