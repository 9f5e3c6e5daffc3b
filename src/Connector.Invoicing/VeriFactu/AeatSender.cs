using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;

namespace Connector.Invoicing.VeriFactu;

/// <summary>Sends one issuer's registration records to the tax agency and returns its answer per record.</summary>
internal interface IVeriFactuSender
{
    Task<SubmissionAnswer> SendAsync(string issuerNif, string issuerName, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken);
}

/// <summary>
/// What the agency answered to one submission: per record (by its id) the status it now has and what the agency said,
/// and, when the submission as a whole failed (the service unreachable, a SOAP fault), why: the records then stay
/// Pending and are sent again.
/// </summary>
internal sealed record SubmissionAnswer(IReadOnlyList<(long Id, string Status, string? Answer)> Records, string? Failure);

/// <summary>
/// AEAT's VERI*FACTU SOAP service (SistemaFacturacion/VerifactuSOAP): a RegFactuSistemaFacturacion of up to 1,000
/// records under the issuer's header (Cabecera/ObligadoEmision), each record as stored; the answer's RespuestaLinea per
/// record gives Correcto (Accepted), AceptadoConErrores (AcceptedWithErrors) or Incorrecto (Rejected, with the error
/// code and text). The client certificate AEAT authenticates by is Connector:VeriFactu:CertificatePath. Built against
/// AEAT's published message structure and a fake endpoint in tests; not run against AEAT from here.
/// </summary>
internal sealed class AeatSoapSender(Func<HttpClient> client, Uri endpoint) : IVeriFactuSender
{
    /// <summary>Made at the first submission, so a connector that never sends never loads the certificate.</summary>
    private readonly Lazy<HttpClient> _http = new(client);

    /// <summary>Most records AEAT takes in one submission (RegistroFactura maxOccurs 1000).</summary>
    public const int MaxRecords = 1_000;

    private const string Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    private const string LrNamespace = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroLR.xsd";

    /// <summary>An HTTP client that presents the configured client certificate.</summary>
    public static HttpClient ClientFor(VeriFactuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler();
        if (options.CertificatePath is { } path)
        {
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)];
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(100) };
    }

    public static string Envelope(string issuerNif, string issuerName, IReadOnlyList<StoredRecord> records)
    {
        XNamespace soap = Soap, lr = LrNamespace, info = RegistroWriter.Namespace;
        var body = new XElement(lr + "RegFactuSistemaFacturacion",
            new XAttribute(XNamespace.Xmlns + "sum", LrNamespace),
            new XAttribute(XNamespace.Xmlns + "sum1", RegistroWriter.Namespace),
            new XElement(lr + "Cabecera", new XElement(info + "ObligadoEmision", new XElement(info + "NombreRazon", issuerName), new XElement(info + "NIF", issuerNif))),
            records.Select(r => new XElement(lr + "RegistroFactura", XElement.Parse(r.Xml))));
        var envelope = new XElement(soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soapenv", Soap), new XElement(soap + "Header"), new XElement(soap + "Body", body));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + envelope.ToString(SaveOptions.DisableFormatting);
    }

    public async Task<SubmissionAnswer> SendAsync(string issuerNif, string issuerName, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var content = new StringContent(Envelope(issuerNif, issuerName, records), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        string text;
        try
        {
            using var response = await _http.Value.PostAsync(endpoint, content, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode && !text.Contains("Fault", StringComparison.Ordinal))
            {
                return new SubmissionAnswer([], $"AEAT answered HTTP {(int)response.StatusCode}");
            }
        }
        catch (HttpRequestException ex)
        {
            return new SubmissionAnswer([], $"AEAT could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SubmissionAnswer([], "AEAT did not answer in time");
        }

        return Read(text, records);
    }

    /// <summary>AEAT's answer, matched to the records sent by number (and kind: an annulment's line says Anulacion).</summary>
    internal static SubmissionAnswer Read(string text, IReadOnlyList<StoredRecord> records)
    {
        XElement answer;
        try
        {
            answer = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            return new SubmissionAnswer([], "AEAT's answer is not XML");
        }

        if (answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "Fault") is { } fault)
        {
            var reason = fault.Descendants().FirstOrDefault(e => e.Name.LocalName == "faultstring")?.Value.Trim() ?? "a SOAP fault";
            return new SubmissionAnswer([], $"AEAT refused the submission: {reason}");
        }

        var lines = answer.Descendants().Where(e => e.Name.LocalName == "RespuestaLinea").ToList();
        var results = new List<(long, string, string?)>();
        foreach (var record in records)
        {
            var line = lines.FirstOrDefault(l => Value(l, "NumSerieFactura") == record.Number
                && (Value(l, "TipoOperacion") is not { } kind || string.Equals(kind, record.Kind, StringComparison.OrdinalIgnoreCase)));
            if (line is null)
            {
                continue; // not in the answer: stays Pending and goes again
            }

            var code = Value(line, "CodigoErrorRegistro");
            var description = Value(line, "DescripcionErrorRegistro");
            var said = code is null && description is null ? Value(line, "EstadoRegistro") : $"{code}: {description}";
            var status = Value(line, "EstadoRegistro") switch
            {
                "Correcto" => RecordStatus.Accepted,
                "AceptadoConErrores" => RecordStatus.AcceptedWithErrors,
                "Incorrecto" => RecordStatus.Rejected,
                _ => null,
            };
            if (status is not null)
            {
                results.Add((record.Id, status, said));
            }
        }

        return new SubmissionAnswer(results, null);
    }

    private static string? Value(XElement scope, string name) =>
        scope.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
