using System.Text.Json;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Orders;
using Connector.Invoicing.Schedules;

using Connector.Storage;

namespace Connector.Invoicing.Storage;

internal sealed class BillableLineRow
{
    public string LineId { get; init; } = "";
    public string OrderId { get; init; } = "";
    public string ProductName { get; init; } = "";
    public string ChargeType { get; init; } = "";
    public string? Frequency { get; init; }
    public string Timing { get; init; } = "";
    public string Quantity { get; init; } = "";
    public string TotalPrice { get; init; } = "";
    public string StartDate { get; init; } = "";
    public string? EndDate { get; init; }
    public string? TermMonths { get; init; }
    public string ProrateMultiplier { get; init; } = "";
    public string TaxRatePercent { get; init; } = "";
    public string? TaxExemptReason { get; init; }
    public string? WithholdingPercent { get; init; }
    public string? RevisesLineId { get; init; }
    public int HoldBilling { get; init; }
    public string? NextBillingDate { get; init; }
    public string? ContractEndDate { get; init; }
    public string OrderNumber { get; init; } = "";
    public string Currency { get; init; } = "";
    public int PaymentTermDays { get; init; }
    public string? InvoiceBatch { get; init; }

    public string? LegalEntity { get; init; }
    public string? PaymentTerms { get; init; }
    public string AccountId { get; init; } = "";
    public string AccountName { get; init; } = "";
    public string? Street { get; init; }
    public string? City { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? TaxId { get; init; }

    public string? Language { get; init; }
    public string? EndpointId { get; init; }
    public string? EndpointScheme { get; init; }
    public string? BuyerReference { get; init; }
    public int? BillingDayOfMonth { get; init; }

    public BillableLine ToLine() => new()
    {
        LineId = LineId,
        OrderId = OrderId,
        ProductName = ProductName,
        ChargeType = Enum.Parse<ChargeType>(ChargeType),
        Frequency = Frequency is null ? null : Enum.Parse<BillingFrequency>(Frequency),
        Timing = Enum.Parse<BillingTiming>(Timing),
        Quantity = DbText.ParseDecimal(Quantity),
        TotalPrice = DbText.ParseDecimal(TotalPrice),
        StartDate = DbText.ParseDate(StartDate),
        EndDate = DbText.ParseNullableDate(EndDate),
        SubscriptionTermMonths = DbText.ParseNullableDecimal(TermMonths),
        ProrateMultiplier = DbText.ParseDecimal(ProrateMultiplier),
        TaxRatePercent = DbText.ParseDecimal(TaxRatePercent),
        TaxExemptReason = TaxExemptReason,
        WithholdingPercent = DbText.ParseNullableDecimal(WithholdingPercent) ?? 0m,
        RevisesLineId = RevisesLineId,
        HoldBilling = HoldBilling != 0,
        NextBillingDate = DbText.ParseNullableDate(NextBillingDate),
        ContractEndDate = DbText.ParseNullableDate(ContractEndDate),
    };

    /// <summary>The stored lines as orders; a line whose stored values cannot be read (or whose order's currency is unknown) is a fault.</summary>
    public static List<BillableOrder> ToOrders(IEnumerable<BillableLineRow> rows, List<Runs.HeldLine> faults)
    {
        var orders = new List<BillableOrder>();
        foreach (var order in rows.GroupBy(r => r.OrderId, StringComparer.Ordinal))
        {
            var first = order.First();
            if (!Money.Currency.IsKnown(first.Currency))
            {
                faults.AddRange(order.Where(r => r.HoldBilling == 0).Select(r => new Runs.HeldLine(r.LineId, r.AccountId, $"its order's currency '{first.Currency}' is not supported")));
                continue;
            }

            var lines = new List<BillableLine>();
            foreach (var row in order)
            {
                try
                {
                    lines.Add(row.ToLine());
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                {
                    faults.Add(new Runs.HeldLine(row.LineId, row.AccountId, $"its stored values cannot be read: {ex.Message}"));
                }
            }

            orders.Add(new BillableOrder
            {
                OrderId = first.OrderId, OrderNumber = first.OrderNumber,
                Account = first.ToAccount(),
                Currency = Money.Currency.Of(first.Currency), PaymentTermDays = first.PaymentTermDays, InvoiceBatch = first.InvoiceBatch, PaymentTerms = first.PaymentTerms, Lines = lines,
                LegalEntity = first.LegalEntity,
            });
        }

        return orders;
    }

    public BillingAccount ToAccount() => new(AccountId, AccountName, Street, City, PostalCode, Country, TaxId, BillingDayOfMonth, Language, EndpointId, EndpointScheme, BuyerReference);
}

internal sealed record InvoiceRow
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Currency { get; init; } = "";
    public string IssueDate { get; init; } = "";
    public string DueDate { get; init; } = "";
    public string Seller { get; init; } = "";
    public string Buyer { get; init; } = "";
    public string? Batch { get; init; }

    public long NetMinor { get; init; }

    public long TaxMinor { get; init; }

    public long WithheldMinor { get; init; }

    /// <summary>The only order the invoice bills; null when it bills several, or was posted before the header kept it.</summary>
    public string? OrderId { get; init; }

    /// <summary>The invoice; <paramref name="party"/> parses the seller and buyer (a load shares one parse among the invoices that repeat a party).</summary>
    public Invoice ToDomain(IEnumerable<InvoiceLineRow> lines, IEnumerable<InvoiceTaxRow> taxes, IEnumerable<WithholdingRow>? withholdings = null, IEnumerable<InstallmentRow>? installments = null,
        Func<string, Party>? party = null)
    {
        party ??= PartyJson.Parse;
        var currency = Money.Currency.Of(Currency);
        return new Invoice
        {
            Id = Id,
            Number = Number,
            AccountId = AccountId,
            Currency = currency,
            IssueDate = DbText.ParseDate(IssueDate),
            DueDate = DbText.ParseDate(DueDate),
            Seller = party(Seller),
            Buyer = party(Buyer),
            Lines = Ordered(lines, l => l.LineNumber, l => l.ToDomain(currency)),
            Taxes = Ordered(taxes, t => t.GroupNumber, t => t.ToDomain(currency)),
            Withholdings = Ordered((withholdings ?? []).Select(w => w.ToDomain(currency)), w => w.RatePercent, w => w),
            Installments = Ordered(installments ?? [], i => i.Number, i => i.ToDomain(currency)),
            Batch = Batch,
        };
    }

    /// <summary>Rows turned into parts in key order; a header a book loads has none or one, which need no sort.</summary>
    private static T[] Ordered<TRow, TKey, T>(IEnumerable<TRow> rows, Func<TRow, TKey> key, Func<TRow, T> part)
    {
        TRow[] all = [.. rows];
        return all.Length switch
        {
            0 => [],
            1 => [part(all[0])],
            _ => [.. all.OrderBy(key).Select(part)],
        };
    }
}

internal sealed class InvoiceLineRow
{
    public long InvoiceId { get; init; }
    public int LineNumber { get; init; }
    public string OrderId { get; init; } = "";
    public string OrderLineId { get; init; } = "";
    public string Description { get; init; } = "";
    public string PeriodStart { get; init; } = "";
    public string PeriodEnd { get; init; } = "";
    public string Quantity { get; init; } = "";
    public string? UnitPrice { get; init; }
    public string ProrationFactor { get; init; } = "";
    public long NetMinor { get; init; }
    public string TaxRatePercent { get; init; } = "";
    public string? TaxExemptReason { get; init; }
    public string? WithholdingPercent { get; init; }
    public string? Revises { get; init; }
    public int? CorrectedLine { get; init; }
    public string Explanation { get; init; } = "";
    public string? UsageDetail { get; init; }

    public InvoiceLine ToDomain(Currency currency) => new(
        LineNumber,
        OrderId,
        OrderLineId,
        Description,
        new BillingPeriod(DbText.ParseDate(PeriodStart), DbText.ParseDate(PeriodEnd)),
        DbText.ParseDecimal(Quantity),
        DbText.ParseDecimal(ProrationFactor),
        Amount.FromMinorUnits(NetMinor, currency),
        DbText.ParseDecimal(TaxRatePercent),
        Explanation)
    {
        UnitPrice = DbText.ParseNullableDecimal(UnitPrice),
        TaxExemptReason = TaxExemptReason,
        WithholdingPercent = DbText.ParseNullableDecimal(WithholdingPercent) ?? 0m,
        Revises = Revises,
        CorrectedLine = CorrectedLine,
        Usage = UsageDetailJson.Parse(UsageDetail),
    };
}

internal sealed class InvoiceTaxRow
{
    public long InvoiceId { get; init; }
    public int GroupNumber { get; init; }
    public string TaxRatePercent { get; init; } = "";
    public string? ExemptReason { get; init; }
    public long BaseMinor { get; init; }
    public long TaxMinor { get; init; }

    public TaxLine ToDomain(Currency currency) =>
        new(DbText.ParseDecimal(TaxRatePercent), Amount.FromMinorUnits(BaseMinor, currency), Amount.FromMinorUnits(TaxMinor, currency)) { ExemptReason = ExemptReason };
}

internal sealed class WithholdingRow
{
    public long OwnerId { get; init; }
    public string RatePercent { get; init; } = "";
    public long BaseMinor { get; init; }
    public long WithheldMinor { get; init; }

    public WithholdingLine ToDomain(Currency currency) =>
        new(DbText.ParseDecimal(RatePercent), Amount.FromMinorUnits(BaseMinor, currency), Amount.FromMinorUnits(WithheldMinor, currency));
}

internal sealed class InstallmentRow
{
    public long InvoiceId { get; init; }
    public int Number { get; init; }
    public string DueDate { get; init; } = "";
    public long AmountMinor { get; init; }

    public Terms.Installment ToDomain(Currency currency) => new(Number, DbText.ParseDate(DueDate), Amount.FromMinorUnits(AmountMinor, currency));
}

internal static class PartyJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(Party party) => JsonSerializer.Serialize(party, Options);

    public static Party Parse(string json) => JsonSerializer.Deserialize<Party>(json, Options) ?? throw new JsonException("Party JSON is null.");
}
