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
}
