using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;

namespace Connector.Worker.Simulation;

/// <summary>
/// Writes a simulation's result as the JSON that docs/scenario-format.md specifies: amounts with the currency's minor
/// digits, factors with nine decimals, dates yyyy-MM-dd, all in invariant culture and a fixed order, so the same
/// scenario always prints the same bytes.
/// </summary>
internal static partial class ScenarioWriter
{
    public static string Json(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ledger = result.Book.Ledger;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("invoices");
            foreach (var invoice in ledger.Invoices.OrderBy(i => i.IssueDate).ThenBy(i => i.Number, StringComparer.Ordinal))
            {
                WriteInvoice(json, invoice, ledger.BalanceOf(invoice, result.AsOf));
            }

            json.WriteEndArray();
            json.WriteStartArray("creditNotes");
            foreach (var note in ledger.CreditNotes.OrderBy(n => n.IssueDate).ThenBy(n => n.Number, StringComparer.Ordinal))
            {
                WriteCreditNote(json, note, ledger.UsageOf(note));
            }

            json.WriteEndArray();
            json.WriteStartArray("accounts");
            foreach (var account in result.Book.Accounts.OrderBy(a => a.Id, StringComparer.Ordinal))
            {
                foreach (var balance in ledger.AccountBalances(account.Id, result.AsOf))
                {
                    WriteAccount(json, balance);
                }
            }

            json.WriteEndArray();
            WriteUsage(json, result.Book);
            WritePayments(json, ledger);
            WriteDisputes(json, ledger);
            WriteRuns(json, result);
            WriteReceivables(json, result);
            if (result.Forecast is { } forecast)
            {
                json.WriteStartArray("forecast");
                foreach (var month in forecast)
                {
                    json.WriteStartObject();
                    json.WriteString("month", string.Create(CultureInfo.InvariantCulture, $"{month.Year:0000}-{month.Month:00}"));
                    if (month.AccountId is not null)
                    {
                        json.WriteString("account", month.AccountId);
                    }

                    json.WriteString("currency", month.Currency.Code);
                    json.WriteString("net", month.Net.ToPlainString());
                    if (result.Book.HasUsageLines)
                    {
                        json.WriteString("usageEstimate", month.UsageEstimate.ToPlainString());
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteInvoice(Utf8JsonWriter json, Invoice invoice, InvoiceBalance balance)
    {
        json.WriteStartObject();
        json.WriteString("number", invoice.Number);
        json.WriteString("account", invoice.AccountId);
        json.WriteString("issueDate", Date(invoice.IssueDate));
        json.WriteString("dueDate", Date(invoice.DueDate));
        json.WriteString("currency", invoice.Currency.Code);
        if (invoice.Batch is not null)
        {
            json.WriteString("batch", invoice.Batch);
        }

        WriteBody(json, invoice);

        json.WriteString("paid", balance.Paid.ToPlainString());
        json.WriteString("credited", balance.Credited.ToPlainString());
        json.WriteString("disputed", balance.Disputed.ToPlainString());
        json.WriteString("balance", balance.Balance.ToPlainString());
        json.WriteString("status", "Posted");
        json.WriteString("paymentStatus", balance.Status.ToString());
        if (balance.Overdue.IsPositive)
        {
            json.WriteString("overdue", balance.Overdue.ToPlainString());
        }

        json.WriteStartArray("installments");
        foreach (var installment in invoice.DueSchedule)
        {
            json.WriteStartObject();
            json.WriteString("dueDate", Date(installment.DueDate));
            json.WriteString("amount", installment.Amount.ToPlainString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCreditNote(Utf8JsonWriter json, CreditNote note, (Amount Allocated, Amount Available) usage)
    {
        json.WriteStartObject();
        json.WriteString("number", note.Number);
        json.WriteString("account", note.AccountId);
        json.WriteString("issueDate", Date(note.IssueDate));
        json.WriteString("currency", note.Currency.Code);
        json.WriteString("corrects", note.CorrectsNumber);
        if (note.CorrectsIssueDate is { } correctsDate)
        {
            json.WriteString("correctsIssueDate", Date(correctsDate));
        }
        else
        {
            json.WriteNull("correctsIssueDate");
        }
        json.WriteString("reason", note.Reason);
        WriteBody(json, note);

        json.WriteString("allocated", usage.Allocated.ToPlainString());
        json.WriteString("available", usage.Available.ToPlainString());
        json.WriteEndObject();
    }

    /// <summary>Lines, taxes, withholdings and totals: the same fields on invoices and credit notes.</summary>
    private static void WriteBody(Utf8JsonWriter json, PostedDocument document)
    {
        WriteLines(json, document.Lines);
        WriteTaxes(json, document.Taxes, document.Withholdings);
        json.WriteString("netTotal", document.Net.ToPlainString());
        json.WriteString("taxTotal", document.Tax.ToPlainString());
        json.WriteString("total", document.Total.ToPlainString());
        if (document.Withholdings.Count > 0)
        {
            json.WriteString("withholdingTotal", document.Withheld.ToPlainString());
            json.WriteString("payable", document.Payable.ToPlainString());
        }
    }

    private static void WriteLines(Utf8JsonWriter json, IReadOnlyList<InvoiceLine> lines)
    {
        json.WriteStartArray("lines");
        foreach (var line in lines)
        {
            json.WriteStartObject();
            json.WriteString("line", line.OrderLineId);
            if (line.Revises is not null)
            {
                json.WriteString("revises", line.Revises);
            }

            if (line.CorrectedLine is { } corrected)
            {
                json.WriteNumber("invoiceLine", corrected);
            }

            json.WriteString("description", line.Description);
            if (line.Usage is not null)
            {
                json.WriteString("chargeType", "Usage");
            }

            json.WriteString("periodStart", Date(line.Period.Start));
            json.WriteString("periodEnd", Date(line.Period.End));
            json.WriteString("quantity", Plain(line.Quantity));
            if (line.Usage is null || line.UnitPrice is not null)
            {
                json.WriteString("unitPrice", Price(line.UnitPrice ?? 0m, line.Net.Currency));
            }

            if (line.Usage is null)
            {
                json.WriteString("prorationFactor", line.ProrationFactor.ToString("0.000000000", CultureInfo.InvariantCulture));
            }

            json.WriteString("netAmount", line.Net.ToPlainString());
            json.WriteString("taxRate", Plain(line.TaxRatePercent));
            if (line.TaxExemptReason is not null)
            {
                json.WriteString("taxExemptReason", line.TaxExemptReason);
            }

            if (line.WithholdingPercent != 0m)
            {
                json.WriteString("withholdingRate", Plain(line.WithholdingPercent));
            }

            if (line.Usage is { } usage)
            {
                WriteUsageDetail(json, usage, line.Net.Currency);
            }

            json.WriteString("explanation", line.Explanation);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTaxes(Utf8JsonWriter json, IReadOnlyList<TaxLine> taxes, IReadOnlyList<WithholdingLine> withholdings)
    {
        json.WriteStartArray("taxes");
        foreach (var tax in taxes)
        {
            json.WriteStartObject();
            json.WriteString("rate", Plain(tax.RatePercent));
            if (tax.ExemptReason is not null)
            {
                json.WriteString("exemptReason", tax.ExemptReason);
            }

            json.WriteString("taxableAmount", tax.Base.ToPlainString());
            json.WriteString("taxAmount", tax.Tax.ToPlainString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (withholdings.Count == 0)
        {
            return;
        }

        json.WriteStartArray("withholdings");
        foreach (var withholding in withholdings)
        {
            json.WriteStartObject();
            json.WriteString("rate", Plain(withholding.RatePercent));
            json.WriteString("base", withholding.Base.ToPlainString());
            json.WriteString("amount", withholding.Withheld.ToPlainString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteAccount(Utf8JsonWriter json, AccountBalance balance)
    {
        json.WriteStartObject();
        json.WriteString("id", balance.AccountId);
        json.WriteString("currency", balance.Currency.Code);
        json.WriteString("billed", balance.Billed.ToPlainString());
        json.WriteString("paid", balance.Paid.ToPlainString());
        json.WriteString("credited", balance.Credited.ToPlainString());
        json.WriteString("refunded", balance.Refunded.ToPlainString());
        json.WriteString("balance", balance.Balance.ToPlainString());
        json.WriteString("overdue", balance.Overdue.ToPlainString());
        json.WriteString("disputed", balance.Disputed.ToPlainString());
        json.WriteString("unappliedCredit", balance.UnappliedCredit.ToPlainString());
        WriteAging(json, balance.Aging);
        json.WriteEndObject();
    }

    private static void WriteRuns(Utf8JsonWriter json, SimulationResult result)
    {
        json.WriteStartArray("runs");
        foreach (var run in result.Book.Runs)
        {
            json.WriteStartObject();
            json.WriteString("on", Date(run.On));
            json.WriteString("targetDate", Date(run.TargetDate));
            json.WriteBoolean("dryRun", run.DryRun);
            if (run.DryRun)
            {
                json.WriteStartArray("drafts");
                foreach (var draft in run.Invoices)
                {
                    json.WriteStartObject();
                    json.WriteString("account", draft.AccountId);
                    json.WriteString("currency", draft.Currency.Code);
                    WriteLines(json, draft.Lines);
                    json.WriteString("netTotal", draft.Net.ToPlainString());
                    json.WriteString("taxTotal", draft.Tax.ToPlainString());
                    json.WriteString("total", draft.Total.ToPlainString());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("draftCreditNotes");
                foreach (var note in run.CreditNotes)
                {
                    json.WriteStartObject();
                    json.WriteString("corrects", note.CorrectsNumber);
                    json.WriteString("total", note.Total.ToPlainString());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteStartArray("invoices");
                run.Invoices.ToList().ForEach(i => json.WriteStringValue(i.Number));
                json.WriteEndArray();
                json.WriteStartArray("creditNotes");
                run.CreditNotes.ToList().ForEach(n => json.WriteStringValue(n.Number));
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A decimal without trailing zeros: "1", "2.5", "21".</summary>
    public static string Plain(decimal value) => DecimalText.Plain(value);

    /// <summary>A unit price with at least the currency's minor digits: "100.00", "33.333333".</summary>
    public static string Price(decimal value, Currency currency)
    {
        var plain = Plain(value);
        var decimals = plain.Contains('.', StringComparison.Ordinal) ? plain.Length - plain.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        return decimals >= currency.MinorDigits ? plain : value.ToString("F" + currency.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
