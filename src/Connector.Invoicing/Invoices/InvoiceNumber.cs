using System.Globalization;

namespace Connector.Invoicing.Invoices;

/// <summary>Invoice numbers: the series, a dash and the six-digit sequence, e.g. <c>INV-000001</c>.</summary>
public static class InvoiceNumber
{
    public static string Format(string series, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{series}-{sequence:000000}");
}
