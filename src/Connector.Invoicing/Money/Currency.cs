using System.Collections.Frozen;

namespace Connector.Invoicing.Money;

/// <summary>
/// An ISO 4217 currency with the number of minor digits its amounts are rounded to.
/// Equality is by <see cref="Code"/>. Unknown codes are rejected: an amount in an unknown currency cannot be rounded correctly.
/// </summary>
internal sealed record Currency
{
    private static readonly FrozenDictionary<string, int> MinorDigitsByCode = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["EUR"] = 2, ["USD"] = 2, ["GBP"] = 2, ["CHF"] = 2, ["CAD"] = 2, ["AUD"] = 2, ["NZD"] = 2,
        ["SEK"] = 2, ["NOK"] = 2, ["DKK"] = 2, ["PLN"] = 2, ["CZK"] = 2, ["HUF"] = 2, ["MXN"] = 2,
        ["BRL"] = 2, ["INR"] = 2, ["CNY"] = 2, ["SGD"] = 2, ["HKD"] = 2, ["ZAR"] = 2, ["RON"] = 2,
        ["JPY"] = 0, ["KRW"] = 0, ["CLP"] = 0, ["ISK"] = 0,
        ["BHD"] = 3, ["KWD"] = 3, ["OMR"] = 3, ["JOD"] = 3, ["TND"] = 3,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Currency(string code, int minorDigits) => (Code, MinorDigits) = (code, minorDigits);

    public static Currency Eur { get; } = Of("EUR");

    public static Currency Usd { get; } = Of("USD");

    /// <summary>The three-letter upper-case ISO 4217 code.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD.</summary>
    public int MinorDigits { get; }

    public static bool IsKnown(string? code) => code is not null && MinorDigitsByCode.ContainsKey(code);

    public static Currency Of(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return MinorDigitsByCode.TryGetValue(code, out var digits)
            ? new Currency(code, digits)
            : throw new ArgumentException($"'{code}' is not a supported ISO 4217 currency code.", nameof(code));
    }

    public override string ToString() => Code;
}
