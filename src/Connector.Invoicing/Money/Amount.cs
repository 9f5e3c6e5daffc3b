using System.Globalization;

namespace Connector.Invoicing.Money;

/// <summary>
/// An amount in one currency, held as whole minor units (cents). Immutable; equality is value equality on
/// (MinorUnits, Currency); arithmetic never mixes currencies. Rounding happens only where a caller asks for it.
/// A value type: a run adds and compares millions of amounts, and as objects they were a tenth of all it allocated.
/// Every amount is made with a currency (<c>default</c> has none and is never used).
/// </summary>
internal readonly record struct Amount
{
    private Amount(long minorUnits, Currency currency) => (MinorUnits, Currency) = (minorUnits, currency);

    public long MinorUnits { get; }

    public Currency Currency { get; }

    /// <summary>The amount in major units (e.g. euros), exact.</summary>
    public decimal Value => MinorUnits / Scale(Currency);

    public static Amount Zero(Currency currency) => FromMinorUnits(0, currency);

    public static Amount FromMinorUnits(long minorUnits, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return new(minorUnits, currency);
    }

    /// <summary>Rounds a major-unit value to the currency's minor unit, half away from zero (the invoice line rule).</summary>
    public static Amount Round(decimal value, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var minor = decimal.Round(value, currency.MinorDigits, MidpointRounding.AwayFromZero) * Scale(currency);
        return new((long)minor, currency);
    }

    public static Amount operator +(Amount left, Amount right) =>
        new(checked(left.MinorUnits + right.MinorUnits), SameCurrency(left, right));

    public static Amount operator -(Amount left, Amount right) =>
        new(checked(left.MinorUnits - right.MinorUnits), SameCurrency(left, right));

    public static Amount operator -(Amount amount) => new(checked(-amount.MinorUnits), amount.Currency);

    public static bool operator <(Amount left, Amount right) => Compare(left, right) < 0;

    public static bool operator >(Amount left, Amount right) => Compare(left, right) > 0;

    public static bool operator <=(Amount left, Amount right) => Compare(left, right) <= 0;

    public static bool operator >=(Amount left, Amount right) => Compare(left, right) >= 0;

    public bool IsZero => MinorUnits == 0;

    public bool IsPositive => MinorUnits > 0;

    public bool IsNegative => MinorUnits < 0;

    public static Amount Min(Amount left, Amount right) => left <= right ? left : right;

    public static Amount Max(Amount left, Amount right) => left >= right ? left : right;

    /// <summary>Parses an exact major-unit amount that must already fit the currency's minor unit ("19.95" in EUR).</summary>
    public static bool TryExact(decimal value, Currency currency, out Amount amount)
    {
        ArgumentNullException.ThrowIfNull(currency);
        amount = Round(value, currency);
        return amount.Value == value;
    }

    public static Amount Sum(IEnumerable<Amount> amounts, Currency currency) =>
        amounts.Aggregate(Zero(currency), static (total, next) => total + next);

    /// <summary>Formats with the currency's minor digits and invariant culture, e.g. "1234.50".</summary>
    public string ToPlainString() => Value.ToString("F" + Currency.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public override string ToString() => $"{ToPlainString()} {Currency.Code}";

    private static decimal Scale(Currency currency) => currency.MinorDigits switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1_000m,
        _ => throw new NotSupportedException($"Minor digits {currency.MinorDigits} not supported."),
    };

    private static int Compare(Amount left, Amount right) =>
        SameCurrency(left, right) is not null ? left.MinorUnits.CompareTo(right.MinorUnits) : 0;

    private static Currency SameCurrency(Amount left, Amount right) =>
        left.Currency == right.Currency ? left.Currency : throw new CurrencyMismatchException(left.Currency, right.Currency);
}
