using System.Text.RegularExpressions;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Numbering;

namespace Connector.Invoicing.LegalEntities;

/// <summary>
/// A company that issues documents (Salesforce Billing's Legal Entity): the seller they print, its own gapless invoice
/// and credit note series, and how its documents look and are paid (<see cref="Branding"/>). Orders choose one by
/// <see cref="Key"/>; an order that names none is billed by the first configured.
/// </summary>
internal sealed record LegalEntity(string Key, Party Seller, NumberSeries InvoiceSeries, NumberSeries CreditNoteSeries)
{
    public Branding Branding { get; init; } = Branding.None;

    /// <summary>Whether its documents are registered in a VERI*FACTU chain and print AEAT's QR code.</summary>
    public bool VeriFactu { get; init; }

    /// <summary>Whether <paramref name="number"/> was issued in one of this entity's series.</summary>
    public bool Issued(string number) => Matches(InvoiceSeries, number) || Matches(CreditNoteSeries, number);

    private static bool Matches(NumberSeries series, string number)
    {
        var prefix = Regex.Escape(series.Pattern).Replace(Regex.Escape(NumberSeries.YearToken), "[0-9]{4}", StringComparison.Ordinal);
        return Regex.IsMatch(number, "^" + prefix + "-[0-9]{6,}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}

/// <summary>
/// What an entity's documents show besides the law's minimum: a logo (a PNG or JPEG file), an accent colour (#RRGGBB),
/// the bank account payments go to, and a footer line (registry data, for one).
/// </summary>
internal sealed record Branding(string? LogoPath, string? AccentColor, string? Iban, string? Bic, string? Footer)
{
    public static Branding None { get; } = new(null, null, null, null, null);
}
