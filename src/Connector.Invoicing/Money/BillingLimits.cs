namespace Connector.Invoicing.Money;

/// <summary>
/// The ranges the billing engine supports, in one place: the mapping refuses (quarantines) a record outside them, and
/// scenarios refuse a value outside them, so no value can overflow the engine's arithmetic. Within them every product
/// the engine forms (price × quantity × proration × tax, summed over a document) fits <see cref="decimal"/> and whole
/// minor units in a 64-bit integer with room to spare.
/// </summary>
internal static class BillingLimits
{
    /// <summary>Largest absolute money value of one price, line total or payment, in major units (one trillion less a cent).</summary>
    public const decimal MaxAmount = 999_999_999_999.99m;

    /// <summary>Largest absolute quantity of one line.</summary>
    public const decimal MaxQuantity = 1_000_000_000m;

    /// <summary>Longest subscription term and largest proration multiplier, in months (a century).</summary>
    public const decimal MaxTermMonths = 1_200m;

    /// <summary>Tax and withholding rates are percentages from 0 to 100.</summary>
    public const decimal MaxPercent = 100m;

    /// <summary>Earliest date a billing input may hold.</summary>
    public static DateOnly MinDate { get; } = new(1900, 1, 1);

    /// <summary>Latest date a billing input may hold (far enough for any term, far from the calendar's end).</summary>
    public static DateOnly MaxDate { get; } = new(2199, 12, 31);
}
