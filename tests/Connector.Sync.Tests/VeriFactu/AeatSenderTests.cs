using System.Xml.Linq;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.VeriFactu;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connector.Sync.Tests.VeriFactu;

/// <summary>
/// The VERI*FACTU submission against a fake AEAT endpoint: the SOAP request as AEAT's schema shapes it, and each answer
/// (accepted, accepted with errors, rejected with its code, a SOAP fault, the service down) kept as it should be.
/// </summary>
[TestFixture]
public sealed class AeatSenderTests
{
    private const string Answer = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd";

    private WireMockServer _aeat = null!;

    [SetUp]
    public void SetUp() => _aeat = WireMockServer.Start();

    [TearDown]
    public void TearDown() => _aeat.Dispose();

    [Test]
    public async Task SendAsync_ThreeRecords_PostsOneSoapSubmissionAndKeepsEachAnswer()
    {
        // Arrange: AEAT accepts the first, accepts the second with errors and rejects the third.
        var records = Chain(3);
        _aeat.Given(Request.Create().WithPath("/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/xml").WithBody(Respuesta(
                ("INV-000001", "Correcto", null), ("INV-000002", "AceptadoConErrores", "2000: El cálculo de la huella suministrada es incorrecta"), ("INV-000003", "Incorrecto", "1100: Valor o tipo incorrecto del campo: NIF"))));

        // Act
        var answer = await Sender().SendAsync("B87654321", "Ejemplo Software SL", records, CancellationToken.None);

        // Assert: what AEAT received, and what is kept.
        var request = _aeat.LogEntries.Single().RequestMessage;
        var envelope = XDocument.Parse(request.Body!);
        XNamespace sum1 = RegistroWriter.Namespace;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Headers!["Content-Type"].Single(), Does.StartWith("text/xml"));
            Assert.That(envelope.Root!.Name.LocalName, Is.EqualTo("Envelope"));
            Assert.That(envelope.Descendants().Single(e => e.Name.LocalName == "RegFactuSistemaFacturacion").Name.NamespaceName, Does.EndWith("/SuministroLR.xsd"));
            Assert.That(envelope.Descendants(sum1 + "ObligadoEmision").Single().Element(sum1 + "NIF")!.Value, Is.EqualTo("B87654321"));
            Assert.That(envelope.Descendants().Where(e => e.Name.LocalName == "RegistroFactura").Select(e => e.Element(sum1 + "RegistroAlta")!.Element(sum1 + "Huella")!.Value),
                Is.EqualTo(records.Select(r => r.Huella)), "each record exactly as stored, in chain order");
            Assert.That(answer.Failure, Is.Null);
            Assert.That(answer.Records, Is.EqualTo(new[]
            {
                (records[0].Id, RecordStatus.Accepted, (string?)"Correcto"),
                (records[1].Id, RecordStatus.AcceptedWithErrors, "2000: El cálculo de la huella suministrada es incorrecta"),
                (records[2].Id, RecordStatus.Rejected, "1100: Valor o tipo incorrecto del campo: NIF"),
            }));
        }
    }

    [Test]
    public async Task SendAsync_SoapFault_LeavesEveryRecordPendingWithTheReason()
    {
        _aeat.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(500).WithBody(
            """<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault><faultcode>env:Client</faultcode><faultstring>Codigo[4102].El XML no cumple el esquema.</faultstring></env:Fault></env:Body></env:Envelope>"""));

        var answer = await Sender().SendAsync("B87654321", "Ejemplo Software SL", Chain(2), CancellationToken.None);

        Assert.That((answer.Records.Count, answer.Failure), Is.EqualTo((0, "AEAT refused the submission: Codigo[4102].El XML no cumple el esquema.")));
    }

    [Test]
    public async Task SendAsync_ServiceDown_LeavesEveryRecordPending()
    {
        _aeat.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(503));

        var answer = await Sender().SendAsync("B87654321", "Ejemplo Software SL", Chain(1), CancellationToken.None);

        Assert.That((answer.Records.Count, answer.Failure), Is.EqualTo((0, "AEAT answered HTTP 503")));
    }

    [Test]
    public void Read_AnswerWithoutALineForARecord_LeavesThatRecordOut()
    {
        var records = Chain(2);

        var answer = AeatSoapSender.Read(Respuesta(("INV-000001", "Correcto", null)), records);

        Assert.That(answer.Records.Select(r => r.Id), Is.EqualTo(new[] { records[0].Id }), "the second stays Pending and goes again");
    }

    private AeatSoapSender Sender() => new(() => new HttpClient(), new Uri(_aeat.Url + "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"));

    /// <summary>AEAT's answer (RespuestaRegFactuSistemaFacturacion) with one RespuestaLinea per (number, state, error).</summary>
    private static string Respuesta(params (string Number, string State, string? Error)[] lines)
    {
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/", r = Answer, i = RegistroWriter.Namespace;
        var body = new XElement(r + "RespuestaRegFactuSistemaFacturacion",
            new XElement(r + "CSV", "A-YDSW8NLFLANWPM"), new XElement(r + "TiempoEsperaEnvio", "60"),
            new XElement(r + "EstadoEnvio", lines.All(l => l.State == "Correcto") ? "Correcto" : "ParcialmenteCorrecto"),
            lines.Select(l => new XElement(r + "RespuestaLinea",
                new XElement(r + "IDFactura", new XElement(i + "IDEmisorFactura", "B87654321"), new XElement(i + "NumSerieFactura", l.Number), new XElement(i + "FechaExpedicionFactura", "01-03-2026")),
                new XElement(r + "Operacion", new XElement(i + "TipoOperacion", "Alta")),
                new XElement(r + "EstadoRegistro", l.State),
                l.Error is { } e ? new[] { new XElement(r + "CodigoErrorRegistro", e[..e.IndexOf(':', StringComparison.Ordinal)]), new XElement(r + "DescripcionErrorRegistro", e[(e.IndexOf(':', StringComparison.Ordinal) + 2)..]) } : null)));
        return new XElement(soap + "Envelope", new XElement(soap + "Body", body)).ToString();
    }

    private static List<StoredRecord> Chain(int count)
    {
        var seller = new Party("Ejemplo Software SL", "B87654321", Country: "ES");
        var system = new SistemaInformatico("Ejemplo Software SL", "B87654321", "Salesforce invoicing connector", "SC", "1.0", "1");
        var records = new List<StoredRecord>();
        ChainLink? previous = null;
        for (var n = 1; n <= count; n++)
        {
            var lines = new List<InvoiceLine> { new(1, "801", "802", "Platform", new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), 1m, 1m, Amount.FromMinorUnits(100_000, Currency.Eur), 21m, "test") };
            var invoice = new Invoice
            {
                Number = $"INV-{n:000000}", AccountId = "001A", Seller = seller, Buyer = new Party("Acme Iberia SL", "B12345674", Country: "ES"), Currency = Currency.Eur,
                IssueDate = new DateOnly(2026, 3, 1), DueDate = new DateOnly(2026, 3, 31), Lines = lines, Taxes = TaxCalculator.Taxes(lines, Currency.Eur, TaxRounding.PerRateOnDocument),
            };
            var record = RegistroWriter.AltaOf(invoice, seller, invoice.Buyer, previous, new DateTimeOffset(2026, 3, 1, 9, 0, n, TimeSpan.Zero), system);
            records.Add(new StoredRecord(100 + n, "B87654321", n, record.Kind, record.Number, invoice.IssueDate, record.Huella, record.Xml, RecordStatus.Pending, null));
            previous = record.Link;
        }

        return records;
    }
}
