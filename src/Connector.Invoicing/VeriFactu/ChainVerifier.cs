using System.Xml.Linq;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// Recomputes an issuer's chain from the records' XML alone, as an outside checker would: each record's fingerprint
/// from its own fields (AEAT's order and format), and its link to the record before it (the first says PrimerRegistro S,
/// every other names the previous record's issuer, number, date and fingerprint). Reports the first record that breaks.
/// </summary>
internal static class ChainVerifier
{
    public static ChainReport Verify(string issuerNif, IReadOnlyList<StoredRecord> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        XElement? previous = null;
        for (var i = 0; i < chain.Count; i++)
        {
            var record = chain[i];
            XElement xml;
            try
            {
                xml = XElement.Parse(record.Xml);
            }
            catch (System.Xml.XmlException ex)
            {
                return new ChainReport(issuerNif, chain.Count, new ChainBreak(record, $"its XML cannot be read: {ex.Message}"));
            }

            if (Problem(record, xml, i == 0 ? null : previous, chain.Count > 0 && i > 0 ? chain[i - 1] : null) is { } problem)
            {
                return new ChainReport(issuerNif, chain.Count, new ChainBreak(record, problem));
            }

            previous = xml;
        }

        return new ChainReport(issuerNif, chain.Count, null);
    }

    private static string? Problem(StoredRecord record, XElement xml, XElement? previousXml, StoredRecord? previous)
    {
        if (record.Sequence != (previous?.Sequence ?? 0) + 1)
        {
            return $"its sequence is {record.Sequence}, after {previous?.Sequence ?? 0}: a record is missing";
        }

        var alta = xml.Name.LocalName == "RegistroAlta";
        string Field(string name) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? "";
        var chaining = xml.Elements().FirstOrDefault(e => e.Name.LocalName == "Encadenamiento");
        var link = chaining?.Elements().FirstOrDefault(e => e.Name.LocalName == "RegistroAnterior");
        string LinkField(string name) => link?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? "";
        var stated = xml.Elements().LastOrDefault(e => e.Name.LocalName == "Huella")?.Value.Trim() ?? "";
        var linked = LinkField("Huella");
        var recomputed = alta
            ? Huella.Alta(Field("IDEmisorFactura"), Field("NumSerieFactura"), Field("FechaExpedicionFactura"), Field("TipoFactura"), Field("CuotaTotal"), Field("ImporteTotal"), linked, Field("FechaHoraHusoGenRegistro"))
            : Huella.Anulacion(Field("IDEmisorFacturaAnulada"), Field("NumSerieFacturaAnulada"), Field("FechaExpedicionFacturaAnulada"), linked, Field("FechaHoraHusoGenRegistro"));
        if (recomputed != stated)
        {
            return $"its fingerprint is {stated}, but its fields give {recomputed}: the record was changed after it was written";
        }

        if (stated != record.Huella)
        {
            return $"its XML states fingerprint {stated}, the stored column {record.Huella}";
        }

        if (previous is null)
        {
            return chaining?.Elements().Any(e => e.Name.LocalName == "PrimerRegistro" && e.Value.Trim() == "S") == true
                ? null
                : "it is the chain's first record but does not say PrimerRegistro S";
        }

        if (link is null)
        {
            return "it names no previous record (RegistroAnterior), yet records come before it";
        }

        if (linked != previous.Huella)
        {
            return $"it names the previous fingerprint {linked}, but the previous record ({previous.Number}) has {previous.Huella}";
        }

        var number = previousXml?.Descendants().FirstOrDefault(e => e.Name.LocalName is "NumSerieFactura" or "NumSerieFacturaAnulada")?.Value.Trim();
        return LinkField("NumSerieFactura") != number ? $"it names {LinkField("NumSerieFactura")} as the previous record, but the previous record is {number}" : null;
    }
}

/// <summary>An issuer's chain as verified: how many records, and the first that breaks it (none: intact).</summary>
internal sealed record ChainReport(string IssuerNif, int Records, ChainBreak? FirstBreak);

/// <summary>The first record that breaks a chain, and why.</summary>
internal sealed record ChainBreak(StoredRecord Record, string Reason);
