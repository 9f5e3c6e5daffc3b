using Connector.Invoicing.VeriFactu;

namespace Connector.Invoicing.Tests.VeriFactu;

[TestFixture]
public sealed class QrUrlTests
{
    [Test]
    public void For_AeatsValidExample_IsThatUrl()
    {
        Assert.That(QrUrl.For("89890001K", "12345678-G33", new DateOnly(2024, 9, 1), 241.40m),
            Is.EqualTo("https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678-G33&fecha=01-09-2024&importe=241.4"));
    }

    [Test]
    public void For_NumberWithAnAmpersandOnTheTestHost_IsEncodedAsAeatShows()
    {
        Assert.That(QrUrl.For("89890001K", "12345678&G33", new DateOnly(2024, 1, 1), 123.45m, testHost: true),
            Is.EqualTo("https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%26G33&fecha=01-01-2024&importe=123.45"));
    }

    [TestCase("8989001K", "12345678", 1d, TestName = "For_NifOfEightCharacters_Refused")]
    [TestCase("89890001K", "", 1d, TestName = "For_EmptyNumber_Refused")]
    [TestCase("89890001K", "1", 1e12, TestName = "For_ThirteenIntegerDigits_Refused")]
    public void For_ValueAeatsQrCannotHold_Refused(string nif, string number, decimal total)
    {
        Assert.That(() => QrUrl.For(nif, number, new DateOnly(2024, 1, 1), total), Throws.InstanceOf<ArgumentException>());
    }
}
