using System.Globalization;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// The URL a VERI*FACTU invoice's QR code holds (AEAT, "código QR" specification v0.4.7, Orden HAC/1177/2024 art. 21):
/// the validation service with the issuer's NIF, the number and series, the issue date (dd-MM-yyyy) and the total (up to
/// 12 integer digits, '.' and 2 decimals), each URL-encoded in UTF-8. <c>formato=json</c> is never printed.
/// </summary>
internal static class QrUrl
{
    public const string Production = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR";
    public const string Test = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR";

    public static string For(string nif, string number, DateOnly issueDate, decimal total, bool testHost = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nif);
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        if (nif.Trim().Length != 9)
        {
            throw new ArgumentException($"'{nif}' is not a NIF: AEAT's QR takes 9 characters.", nameof(nif));
        }

        if (number.Length > 60)
        {
            throw new ArgumentException($"'{number}' is longer than the 60 characters AEAT's QR takes.", nameof(number));
        }

        var amount = decimal.Round(total, 2, MidpointRounding.AwayFromZero);
        if (Math.Abs(amount) >= 1_000_000_000_000m)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "AEAT's QR takes at most 12 integer digits.");
        }

        return (testHost ? Test : Production)
            + "?nif=" + Uri.EscapeDataString(nif.Trim())
            + "&numserie=" + Uri.EscapeDataString(number)
            + "&fecha=" + issueDate.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)
            + "&importe=" + amount.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
