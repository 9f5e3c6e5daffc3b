using System.Globalization;
using System.Text.Json;
using Connector.Invoicing.Receivables;

namespace Connector.Worker.Simulation;

internal static partial class ScenarioWriter
{
    private static void WriteAging(Utf8JsonWriter json, Aging aging)
    {
        json.WriteStartObject("aging");
        json.WriteString("current", aging.Current.ToPlainString());
        json.WriteString("1-30", aging.Days1To30.ToPlainString());
        json.WriteString("31-60", aging.Days31To60.ToPlainString());
        json.WriteString("61-90", aging.Days61To90.ToPlainString());
        json.WriteString("90+", aging.Over90.ToPlainString());
        json.WriteEndObject();
    }

    private static void WritePayments(Utf8JsonWriter json, ReceivablesLedger ledger)
    {
        json.WriteStartArray("payments");
        foreach (var payment in ledger.Payments.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id, StringComparer.Ordinal))
        {
            var (allocated, refunded, unapplied) = ledger.UsageOf(payment);
            json.WriteStartObject();
            json.WriteString("id", payment.Id);
            json.WriteString("account", payment.AccountId);
            json.WriteString("date", Date(payment.ReceivedOn));
            json.WriteString("amount", payment.Amount.ToPlainString());
            json.WriteString("allocated", allocated.ToPlainString());
            json.WriteString("refunded", refunded.ToPlainString());
            json.WriteString("unapplied", unapplied.ToPlainString());
            if (payment.ReversedOn is { } reversed)
            {
                json.WriteString("reversedOn", Date(reversed));
            }

            json.WriteStartArray("allocations");
            foreach (var allocation in ledger.Allocations.Where(a => a.Source == CreditSource.Payment && a.SourceId == payment.Id))
            {
                json.WriteStartObject();
                json.WriteString("invoice", allocation.InvoiceNumber);
                json.WriteString("amount", allocation.Amount.ToPlainString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDisputes(Utf8JsonWriter json, ReceivablesLedger ledger)
    {
        json.WriteStartArray("disputes");
        foreach (var dispute in ledger.Disputes.OrderBy(d => d.OpenedOn).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("id", dispute.Id);
            json.WriteString("invoice", dispute.InvoiceNumber);
            if (dispute.Line is { } line)
            {
                json.WriteNumber("invoiceLine", line);
            }

            json.WriteString("amount", dispute.Amount.ToPlainString());
            json.WriteString("opened", Date(dispute.OpenedOn));
            json.WriteString("status", dispute.Outcome?.ToString() ?? "Open");
            if (dispute.ResolvedOn is { } resolved)
            {
                json.WriteString("resolved", Date(resolved));
            }

            if (dispute.CreditNoteNumber is not null)
            {
                json.WriteString("creditNote", dispute.CreditNoteNumber);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteReceivables(Utf8JsonWriter json, SimulationResult result)
    {
        var ledger = result.Book.Ledger;
        json.WriteStartArray("receivables");
        foreach (var currency in ledger.Invoices.Select(i => i.Currency).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            var aging = ledger.Invoices.Where(i => i.Currency == currency).Aggregate(Aging.Zero(currency), (sum, i) => sum.Plus(ledger.AgingOf(i, result.AsOf)));
            json.WriteStartObject();
            json.WriteString("currency", currency.Code);
            json.WriteString("asOf", Date(result.AsOf));
            WriteAging(json, aging);
            var dso = ledger.DaysSalesOutstanding(currency, result.AsOf);
            if (dso is { } days)
            {
                json.WriteString("dso", days.ToString("0.0", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("dso");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
