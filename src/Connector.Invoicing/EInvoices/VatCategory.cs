namespace Connector.Invoicing.EInvoices;

/// <summary>
/// EN 16931's VAT category (UNCL 5305, BT-118/BT-151) of a posted rate and exemption reason. The category is a
/// function of what was posted: a positive rate is standard (S); a zero rate with no reason is zero-rated (Z); a CEF
/// VATEX code names its own category (VATEX-EU-AE reverse charge AE, -IC intra-Community K, -G export G, -O not subject
/// O, -J Canary Islands L, -L Ceuta/Melilla M), and wording after it ('VATEX-EU-G: export') is the reason text; any
/// other reason is an exemption (E), its text printed as BT-120.
/// </summary>
internal sealed record VatCategory(string Code, string? ReasonCode, string? ReasonText)
{
    private static readonly Dictionary<string, string> ByVatex = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VATEX-EU-AE"] = "AE",
        ["VATEX-EU-IC"] = "K",
        ["VATEX-EU-G"] = "G",
        ["VATEX-EU-O"] = "O",
        ["VATEX-EU-J"] = "L",
        ["VATEX-EU-L"] = "M",
    };

    /// <summary>Not subject to VAT: no rate is printed, and neither party's VAT id may be (BR-O-02, BR-O-05).</summary>
    public bool NotSubject => Code == "O";

    /// <summary>Whether the breakdown and the lines carry a rate (every category but O).</summary>
    public bool HasRate => !NotSubject;

    public static VatCategory Of(decimal ratePercent, string? exemptReason)
    {
        var reason = string.IsNullOrWhiteSpace(exemptReason) ? null : exemptReason.Trim();
        if (ratePercent != 0m)
        {
            return new VatCategory("S", null, null);
        }

        if (reason is null)
        {
            return new VatCategory("Z", null, null);
        }

        if (reason.StartsWith("VATEX-", StringComparison.OrdinalIgnoreCase))
        {
            // "VATEX-EU-G: export outside the EU": the code, then the mapped wording as the reason text (BT-120).
            var end = reason.IndexOfAny([':', ' ']);
            var code = (end < 0 ? reason : reason[..end]).ToUpperInvariant();
            var text = end < 0 ? null : reason[end..].TrimStart(':', ' ').Trim();
            return new VatCategory(ByVatex.GetValueOrDefault(code, "E"), code, string.IsNullOrEmpty(text) ? null : text);
        }

        return new VatCategory("E", null, reason);
    }
}
