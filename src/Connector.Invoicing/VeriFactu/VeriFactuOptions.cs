using Microsoft.Extensions.Options;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// Connector:VeriFactu: how the registration records of the legal entities with VERI*FACTU on (their VeriFactu setting)
/// name this system, which AEAT host their QR codes point at, and whether records are sent to AEAT.
/// </summary>
internal sealed class VeriFactuOptions
{
    public const string SectionName = "Connector:VeriFactu";

    /// <summary>Test (default: AEAT's pre-production validation service) or Production: the host the printed QR codes name.</summary>
    public string QrHost { get; set; } = "Test";

    /// <summary>Off (default: records are kept, chained and exportable, not sent) or Aeat (sent to <see cref="Endpoint"/> each cycle).</summary>
    public string Sender { get; set; } = "Off";

    /// <summary>AEAT's VERI*FACTU SOAP service; default its pre-production endpoint.</summary>
    public Uri Endpoint { get; set; } = new("https://prewww1.aeat.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP");

    /// <summary>The client certificate (PKCS#12) AEAT authenticates the sender by; its password comes from <see cref="CertificatePassword"/>.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Who produces this system (SistemaInformatico/NombreRazon and NIF): the company that deploys the connector.</summary>
    public string ProducerName { get; set; } = "";

    public string ProducerNif { get; set; } = "";

    public string SystemName { get; set; } = "Salesforce invoicing connector";

    /// <summary>Two characters naming the system to AEAT (IdSistemaInformatico).</summary>
    public string SystemId { get; set; } = "SC";

    public string Version { get; set; } = "1.0";

    /// <summary>This installation's number (NumeroInstalacion), unique among the producer's installations.</summary>
    public string InstallationNumber { get; set; } = "1";

    public bool TestQrHost => !string.Equals(QrHost, "Production", StringComparison.OrdinalIgnoreCase);

    public bool SendsToAeat => string.Equals(Sender, "Aeat", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Checks Connector:VeriFactu at start, one line per fault naming the key, the value and what is allowed.</summary>
internal sealed class VeriFactuOptionsValidator : IValidateOptions<VeriFactuOptions>
{
    public ValidateOptionsResult Validate(string? name, VeriFactuOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string at = VeriFactuOptions.SectionName;
        if (options.QrHost is not ("Test" or "Production"))
        {
            failures.Add($"{at}:QrHost = '{options.QrHost}' is not allowed: use Test or Production.");
        }

        if (options.Sender is not ("Off" or "Aeat"))
        {
            failures.Add($"{at}:Sender = '{options.Sender}' is not allowed: use Off or Aeat.");
        }

        if (options.SystemId.Trim().Length is < 1 or > 2)
        {
            failures.Add($"{at}:SystemId = '{options.SystemId}' is not allowed: use 1 or 2 characters (IdSistemaInformatico).");
        }

        if (options.ProducerNif.Length > 0 && Nif.Of(options.ProducerNif) is null)
        {
            failures.Add($"{at}:ProducerNif = '{options.ProducerNif}' is not allowed: use a Spanish NIF of 9 characters, e.g. B87654321.");
        }

        if (options.SendsToAeat && (options.CertificatePath is not { } path || !File.Exists(path)))
        {
            failures.Add($"{at}:CertificatePath = '{options.CertificatePath}' is not allowed: sending to AEAT needs the client certificate file (PKCS#12).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>A Spanish tax id as VERI*FACTU writes it: 9 characters, upper case, without the ES prefix of a VAT number.</summary>
internal static class Nif
{
    public static string? Of(string? taxId)
    {
        if (taxId is null)
        {
            return null;
        }

        var id = new string([.. taxId.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        if (id.Length == 11 && id.StartsWith("ES", StringComparison.Ordinal))
        {
            id = id[2..];
        }

        return id.Length == 9 ? id : null;
    }
}
