using System.Globalization;

namespace Connector.Invoicing.Money;

/// <summary>Decimals as documents and outputs print them.</summary>
internal static class DecimalText
{
    /// <summary>A decimal without trailing zeros, invariant: "1", "2.5", "21".</summary>
    public static string Plain(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
