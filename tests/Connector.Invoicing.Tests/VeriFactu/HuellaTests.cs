using Connector.Invoicing.VeriFactu;

namespace Connector.Invoicing.Tests.VeriFactu;

/// <summary>AEAT's three worked examples (specification of the huella, v0.1.2): a first alta, the next alta chained to it, and an anulación.</summary>
[TestFixture]
public sealed class HuellaTests
{
    private const string First = "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60";
    private const string Second = "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97";

    [Test]
    public void Alta_FirstRecordOfTheChain_IsAeatsFirstExample()
    {
        Assert.That(Huella.Alta("89890001K", "12345678/G33", "01-01-2024", "F1", "12.35", "123.45", null, "2024-01-01T19:20:30+01:00"), Is.EqualTo(First));
    }

    [Test]
    public void Alta_ChainedToThePrevious_IsAeatsSecondExample()
    {
        Assert.That(Huella.Alta("89890001K", "12345679/G34", "01-01-2024", "F1", "12.35", "123.45", First, "2024-01-01T19:20:35+01:00"), Is.EqualTo(Second));
    }

    [Test]
    public void Anulacion_ChainedToTheSecond_IsAeatsThirdExample()
    {
        Assert.That(Huella.Anulacion("89890001K", "12345679/G34", "01-01-2024", Second, "2024-01-01T19:20:40+01:00"),
            Is.EqualTo("177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68"));
    }

    [Test]
    public void Alta_ValuesWithSpaces_AreTrimmedAndAnyChangedFieldChangesTheHuella()
    {
        var padded = Huella.Alta(" 89890001K ", "12345678/G33", "01-01-2024", "F1", "12.35", "123.45", "", "2024-01-01T19:20:30+01:00");
        var other = Huella.Alta("89890001K", "12345678/G33", "01-01-2024", "F1", "12.35", "123.46", null, "2024-01-01T19:20:30+01:00");

        Assert.That((padded, other == First), Is.EqualTo((First, false)));
    }
}
