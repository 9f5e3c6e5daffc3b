namespace Connector.Mapping.Profile;

/// <summary>
/// A billing input a source can map: its name, kind, whether a profile must map it, for picklist inputs the values
/// billing understands (a value map must translate the org's values to these), and for numbers the range billing
/// supports (a record outside it is quarantined naming the field, the value and the range).
/// </summary>
internal sealed record InputDefinition(string Name, InputKind Kind, bool Required = false, IReadOnlyList<string>? AllowedValues = null, NumberRange? Range = null);

/// <summary>The values a number input may take: from <see cref="Min"/> (excluded when <see cref="MinExcluded"/>) to <see cref="Max"/>.</summary>
internal sealed record NumberRange(decimal Min, decimal Max, bool MinExcluded = false)
{
    public static NumberRange Money { get; } = new(-Invoicing.Money.BillingLimits.MaxAmount, Invoicing.Money.BillingLimits.MaxAmount);

    public static NumberRange Quantity { get; } = new(-Invoicing.Money.BillingLimits.MaxQuantity, Invoicing.Money.BillingLimits.MaxQuantity);

    public static NumberRange Months { get; } = new(0m, Invoicing.Money.BillingLimits.MaxTermMonths, MinExcluded: true);

    public static NumberRange Percent { get; } = new(0m, Invoicing.Money.BillingLimits.MaxPercent);

    public bool Contains(decimal value) => (MinExcluded ? value > Min : value >= Min) && value <= Max;

    public override string ToString() =>
        FormattableString.Invariant($"{(MinExcluded ? "more than" : "from")} {Min:0.##} {(MinExcluded ? "up to" : "to")} {Max:0.##}");
}
