namespace Connector.Mapping.Profile;

/// <summary>The sources a profile maps, and the billing inputs each one knows.</summary>
public static class SourceNames
{
    public const string Order = "order";
    public const string OrderItem = "orderItem";

    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Inputs { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [Order] = new HashSet<string>(StringComparer.Ordinal)
        {
            "orderNumber", "accountId", "currency", "paymentTerm", "accountName", "accountStreet", "accountCity",
            "accountPostalCode", "accountCountry", "accountTaxId",
        },
        [OrderItem] = new HashSet<string>(StringComparer.Ordinal)
        {
            "orderId", "productName", "quantity", "unitPrice", "totalPrice", "startDate", "endDate", "chargeType",
            "billingFrequency", "billingType", "subscriptionTerm", "prorateMultiplier", "accountCountry", "taxRatePercent",
        },
    };

    public static IReadOnlyDictionary<string, IReadOnlySet<string>> RequiredInputs { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        [Order] = new HashSet<string>(StringComparer.Ordinal) { "orderNumber", "accountId", "accountName" },
        [OrderItem] = new HashSet<string>(StringComparer.Ordinal) { "orderId", "productName", "quantity", "unitPrice", "startDate", "chargeType" },
    };
}
