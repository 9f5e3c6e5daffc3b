using System.Security.Cryptography;
using System.Text;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// The fingerprint ("huella") that chains VERI*FACTU registration records, exactly as AEAT's specification builds it
/// ("Detalle de las especificaciones técnicas para generación de la huella o hash de los registros de facturación",
/// v0.1.2): the record's fields in the specification's order as <c>Name=value</c> pairs joined by <c>&amp;</c>, each value
/// the text its XML element holds, trimmed (an empty or missing field as <c>Name=</c>), encoded as UTF-8, hashed with
/// SHA-256 and written as 64 upper-case hexadecimal digits. The first record of a chain hashes with <c>Huella=</c>.
/// </summary>
internal static class Huella
{
    /// <summary>The fingerprint of a RegistroAlta (an invoice or credit note registered).</summary>
    /// <param name="issuerNif">IDEmisorFactura.</param>
    /// <param name="number">NumSerieFactura.</param>
    /// <param name="issueDate">FechaExpedicionFactura, dd-MM-yyyy as in the XML.</param>
    /// <param name="invoiceType">TipoFactura (F1, R1...).</param>
    /// <param name="totalTax">CuotaTotal, as written in the XML.</param>
    /// <param name="totalAmount">ImporteTotal, as written in the XML.</param>
    /// <param name="previous">The previous record's Huella; null or empty for the first record.</param>
    /// <param name="generatedAt">FechaHoraHusoGenRegistro, ISO 8601 with its offset.</param>
    public static string Alta(string issuerNif, string number, string issueDate, string invoiceType, string totalTax, string totalAmount, string? previous, string generatedAt) =>
        Of(("IDEmisorFactura", issuerNif), ("NumSerieFactura", number), ("FechaExpedicionFactura", issueDate), ("TipoFactura", invoiceType),
            ("CuotaTotal", totalTax), ("ImporteTotal", totalAmount), ("Huella", previous), ("FechaHoraHusoGenRegistro", generatedAt));

    /// <summary>The fingerprint of a RegistroAnulacion (a registered document voided).</summary>
    public static string Anulacion(string issuerNif, string number, string issueDate, string? previous, string generatedAt) =>
        Of(("IDEmisorFacturaAnulada", issuerNif), ("NumSerieFacturaAnulada", number), ("FechaExpedicionFacturaAnulada", issueDate),
            ("Huella", previous), ("FechaHoraHusoGenRegistro", generatedAt));

    /// <summary>The string the fingerprint hashes (for a person checking a chain by hand).</summary>
    public static string Input(params (string Name, string? Value)[] fields) =>
        string.Join("&", fields.Select(f => f.Name + "=" + (f.Value ?? "").Trim()));

    private static string Of(params (string Name, string? Value)[] fields) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Input(fields))));
}
