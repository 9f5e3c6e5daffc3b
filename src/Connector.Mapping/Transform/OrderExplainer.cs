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

    /// <param name="order">The Order record.</param>
    /// <param name="orderItems">Its order products.</param>
    /// <param name="runDate">The run date the preview bills by.</param>
    /// <param name="billing">Billing settings (proration, series, seller).</param>
    /// <param name="usage">The order products' consumption schedules, their rates and usage records, when the profile reads usage.</param>
    public IReadOnlyList<string> Explain(JsonObject order, IReadOnlyList<JsonObject> orderItems, DateOnly runDate, BillingOptions billing, UsageRecords? usage = null)
    {
        var lines = new List<string>();
        var mappedOrder = _mapper.MapOrder(order);
        lines.Add($"Order {order["Id"]} ({profile.Order.Object})");
        Inputs(lines, order, profile.Order);
        lines.Add(mappedOrder.Value is { } o
            ? Invariant($"  → billing: order {o.Header.OrderNumber}, account {o.Account.Name} ({o.Account.Country ?? "no country"}), {o.Header.Currency}, due {o.Header.PaymentTermDays} days after issue") + EInvoiceAddress(o.Account)
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
                lines.Add(Invariant($"  → billing: {line.ProductName}, {schedule}, quantity {line.Quantity}, term price {line.TotalPrice}, {line.StartDate:yyyy-MM-dd} to {(line.EndDate is { } end ? end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "evergreen")}, VAT {line.TaxRatePercent}%{VatCategoryOf(line)}"));
                if (line.Quantity == 0m && line.TotalPrice != 0m && line.ChargeType != Invoicing.Schedules.ChargeType.Usage)
                {
                    lines.Add(Invariant($"  ! quantity 0 bills nothing: the term price {line.TotalPrice} is not charged (and what the line billed before is credited)"));
                }
            }
            else
            {
                lines.Add($"  ✗ quarantined: {mapped.Problem}");
            }
        }

        billable = UsageLines(lines, billable, usage ?? new UsageRecords([], [], []), out var records);
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
        var invoice = InvoiceRunner.Preview([billableOrder], runDate, billing, records).Invoices.SingleOrDefault();
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

    /// <summary>
    /// Attaches each line's active consumption schedule (which makes it a usage line), saying how it rates and what the
    /// normalisation of touching bounds changed; a Usage line without one, or a schedule billing cannot rate, is held.
    /// </summary>
    private List<BillableLine> UsageLines(List<string> lines, List<BillableLine> billable, UsageRecords usage, out IReadOnlyList<Invoicing.Usage.UsageRecord> records)
    {
        var schedules = usage.Schedules.Select(_mapper.MapConsumptionSchedule).Where(r => r.Value is { Active: true }).Select(r => r.Value!).ToLookup(s => s.LineId, StringComparer.Ordinal);
        var rates = usage.Rates.Select(_mapper.MapConsumptionRate).Where(r => r.Value is not null).Select(r => r.Value!).ToLookup(r => r.ScheduleId, StringComparer.Ordinal);
        var result = new List<BillableLine>();
        foreach (var line in billable)
        {
            var found = schedules[line.LineId].ToList();
            if (found.Count == 0 && line.ChargeType != Invoicing.Schedules.ChargeType.Usage)
            {
                result.Add(line);
                continue;
            }

            lines.Add("");
            try
            {
                if (found.Count != 1)
                {
                    throw new Invoicing.Receivables.BillingRuleException(found.Count == 0
                        ? "its charge type is Usage but it has no active consumption schedule; add one to the order product, or map its charge type to One-Time or Recurring"
                        : $"it has {found.Count} active consumption schedules; the connector bills one per order product");
                }

                var org = found[0];
                var (schedule, changes) = Invoicing.Usage.OrgConsumptionSchedule.Build(org.Type, org.BillingTerm, org.BillingTermUnit, org.UnitOfMeasure, org.MatchingAttribute, [.. rates[org.Id]]);
                lines.Add(Invariant($"Order product {line.LineId}: usage, {schedule.Type} every {(int)schedule.Frequency} month(s){(schedule.UnitOfMeasure is { } unit ? ", in " + unit : "")} (schedule {org.Id})"));
                lines.AddRange(schedule.Rates.Select(r => Invariant($"  rate {r.Number}: {r.Bounds} at {r.Price} {r.PricingMethod}")));
                lines.AddRange(changes.Select(c => $"  normalised: {c}"));
                result.Add(line with { ChargeType = Invoicing.Schedules.ChargeType.Usage, Frequency = null, Timing = Invoicing.Schedules.BillingTiming.Arrears, Consumption = schedule });
            }
            catch (Invoicing.Receivables.BillingRuleException e)
            {
                lines.Add($"Order product {line.LineId}: ✗ held: {e.Message}");
            }
        }

        var usageLines = result.Where(l => l.Consumption is not null).Select(l => l.LineId).ToHashSet(StringComparer.Ordinal);
        records = [.. usage.Usage.Select(u => _mapper.MapUsage(u, profile.Sources.TryGetValue(Catalog.Usage, out var source) ? source.Object : "usage").Value).OfType<Invoicing.Usage.IncomingUsage>()
            .Select(u => u.Record).Where(r => usageLines.Contains(r.LineId))];
        if (usageLines.Count > 0)
        {
            lines.Add(Invariant($"Usage records of these order products: {records.Count}, {records.Sum(r => r.Quantity)} units in all"));
        }

        return result;
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

    /// <summary>Where the buyer's UBL e-invoices go (Peppol) and what they quote, or that they have no address.</summary>
    private static string EInvoiceAddress(BillingAccount account) =>
        (account.EndpointScheme is { } scheme && account.EndpointId is { } id ? $"; e-invoices to {scheme}:{id}" : "; no e-invoice address (map accountEndpointId and accountEndpointScheme for Peppol)")
        + (account.BuyerReference is { } reference ? $", quoting '{reference}'" : "");

    /// <summary>The line's EN 16931 VAT category, and its exemption reason when it has one.</summary>
    private static string VatCategoryOf(BillableLine line)
    {
        var category = Invoicing.EInvoices.VatCategory.Of(line.TaxRatePercent, line.TaxExemptReason);
        return $" (category {category.Code}{(line.TaxExemptReason is { } reason ? ", " + reason : "")})";
    }
}

/// <summary>An order's usage records as read from the org: its order products' consumption schedules, their rates, and usage records.</summary>
internal sealed record UsageRecords(IReadOnlyList<JsonObject> Schedules, IReadOnlyList<JsonObject> Rates, IReadOnlyList<JsonObject> Usage);
