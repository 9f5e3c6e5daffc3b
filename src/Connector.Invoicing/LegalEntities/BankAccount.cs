using System.Text.RegularExpressions;

namespace Connector.Invoicing.LegalEntities;

/// <summary>Checks and prints IBANs (ISO 13616: country, check digits, up to 30 characters; mod 97 = 1) and BICs (ISO 9362).</summary>
internal static partial class BankAccount
{
    public static string Compact(string iban) => new([.. iban.Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant)]);

    public static bool IsValidIban(string? iban)
    {
        if (iban is null)
        {
            return false;
        }

        var compact = Compact(iban);
        if (!IbanShape().IsMatch(compact))
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in compact[4..] + compact[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? ((remainder * 100) + value) % 97 : ((remainder * 10) + value) % 97;
        }

        return remainder == 1;
    }

    public static bool IsValidBic(string? bic) => bic is not null && BicShape().IsMatch(bic.Trim().ToUpperInvariant());

    /// <summary>The IBAN in groups of four, as printed (ES91 2100 0418 4502 0005 1332).</summary>
    public static string Print(string iban)
    {
        var compact = Compact(iban);
        return string.Join(" ", Enumerable.Range(0, (compact.Length + 3) / 4).Select(i => compact.Substring(i * 4, Math.Min(4, compact.Length - (i * 4)))));
    }

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex IbanShape();

    [GeneratedRegex("^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex BicShape();
}
