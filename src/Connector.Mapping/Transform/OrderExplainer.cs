using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Runs;
using Connector.Mapping.Profile;

namespace Connector.Mapping.Transform;

/// <summary>
/// The admin's dry run: for one order and its order products, each mapped input with its source field and value, the
/// billing input it produced (or why the record would be quarantined), and the invoice lines a run on a date would
/// create if nothing had been billed before. Writes nothing.
/// </summary>
internal sealed class OrderExplainer(MappingProfile profile)
{
    private readonly RecordMapper _mapper = new(profile);

    public IReadOnlyList<string> Explain(JsonObject order, IReadOnlyList<JsonObject> orderItems, DateOnly runDate, BillingOptions billing)
    {
        var lines = new List<string>();
        var mappedOrder = _mapper.MapOrder(order);
        lines.Add($"Order {order["Id"]} ({profile.Order.Object})");
        Inputs(lines, order, profile.Order);
        lines.Add(mappedOrder.Value is { } o
            ? Invariant($"  → billing: order {o.Header.OrderNumber}, account {o.Account.Name} ({o.Account.Country ?? "no country"}), {o.Header.Currency}, due {o.Header.PaymentTermDays} days after issue")
            : $"  ✗ quarantined: {mappedOrder.Problem}");

        var billable = new List<BillableLine>();
        foreach (var item in orderItems)
        {
            lines.Add("");
            lines.Add($"Order product {item["Id"]} ({profile.OrderItem.Object})");
            Inputs(lines, item, profile.OrderItem);
            var mapped = _mapper.MapOrderItem(item);
            if (mapped.Value is { } line)
            {
                billable.Add(line);
                var schedule = line.Frequency is null ? "one-time" : $"{line.Frequency} {line.Timing}";
                lines.Add(Invariant($"  → billing: {line.ProductName}, {schedule}, quantity {line.Quantity}, term price {line.TotalPrice}, {line.StartDate:yyyy-MM-dd} to {(line.EndDate is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "evergreen")}, VAT {line.TaxRatePercent}%"));
            }
            else
            {
                lines.Add($"  ✗ quarantined: {mapped.Problem}");
            }
        }

        lines.Add("");
        if (mappedOrder.Value is not { } header)
        {
            lines.Add("No invoice lines: the order itself cannot be mapped.");
            return lines;
        }

        var billableOrder = new BillableOrder
        {
            OrderId = header.Header.OrderId,
            OrderNumber = header.Header.OrderNumber,
            Account = header.Account,
            Currency = Currency.Of(header.Header.Currency),
            PaymentTermDays = header.Header.PaymentTermDays,
            InvoiceBatch = header.Header.InvoiceBatch,
            PaymentTerms = header.Header.PaymentTerms,
            Lines = billable,
        };
        var invoice = InvoiceRunner.Preview([billableOrder], runDate, billing).Invoices.SingleOrDefault();
        lines.Add(Invariant($"Invoice lines a run on {runDate:yyyy-MM-dd} would create (if nothing was billed before):"));
        if (invoice is null)
        {
            lines.Add("  none: nothing is due by that date.");
            return lines;
        }

        foreach (var line in invoice.Lines)
        {
            lines.Add(Invariant($"  {line.LineNumber,3}  {line.Description}  {line.Period.Start:yyyy-MM-dd} – {line.Period.End:yyyy-MM-dd}  factor {line.ProrationFactor}  {line.Net}"));
            lines.Add($"       {line.Explanation}");
        }

        lines.Add(Invariant($"  net {invoice.Net}, VAT {invoice.Tax}, total {invoice.Total}, due {invoice.DueDate:yyyy-MM-dd}"));
        foreach (var installment in invoice.Installments)
        {
            lines.Add(Invariant($"  installment {installment.Number}: {installment.Amount} due {installment.DueDate:yyyy-MM-dd}"));
        }
        return lines;
    }

    private void Inputs(List<string> lines, JsonObject record, SourceMapping source)
    {
        var reader = new RecordReader(record, source, profile.ValueMaps);
        foreach (var spec in source.Fields.Values)
        {
            string text;
            try
            {
                text = reader.Source(spec.Input) is { } value ? $"{value.Origin} = '{value.Value}'{Translation(spec, value.Value)}" : $"{string.Join(" / ", spec.Paths)} is empty";
            }
            catch (MappingFailure failure)
            {
                text = failure.Message;
            }

            lines.Add($"  {spec.Input,-18} {text}");
        }
    }

    private string Translation(FieldSpec spec, string value) =>
        spec.Map is { } map && profile.ValueMaps.TryGetValue(map, out var values)
            ? values.Entries.TryGetValue(value, out var translated) ? $" → {translated}" : $" → not in valueMaps.{map}"
            : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
