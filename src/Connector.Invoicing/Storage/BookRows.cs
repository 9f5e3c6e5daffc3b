using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

using Connector.Storage;

namespace Connector.Invoicing.Storage;

internal sealed class BillingEntryRow
{
    public long Id { get; init; }
    public string LineId { get; init; } = "";
    public string PieceStart { get; init; } = "";
    public string PeriodStart { get; init; } = "";
    public string PeriodEnd { get; init; } = "";
    public string WholeStart { get; init; } = "";
    public string WholeEnd { get; init; } = "";
    public string Factor { get; init; } = "";
    public long NetMinor { get; init; }
    public string DocumentNumber { get; init; } = "";
    public int DocumentLine { get; init; }
    public string InvoiceNumber { get; init; } = "";
    public int IsInvoice { get; init; }

    public LedgerEntry ToDomain(Currency currency) => new(
        LineId,
        DbText.ParseDate(PieceStart),
        new BillingPeriod(DbText.ParseDate(PeriodStart), DbText.ParseDate(PeriodEnd)),
        new BillingPeriod(DbText.ParseDate(WholeStart), DbText.ParseDate(WholeEnd)),
        DbText.ParseDecimal(Factor),
        Amount.FromMinorUnits(NetMinor, currency),
        DocumentNumber,
        DocumentLine,
        InvoiceNumber,
        IsInvoice != 0);
}

internal sealed class CreditNoteRow
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Currency { get; init; } = "";
    public string IssueDate { get; init; } = "";
    public string? CorrectsNumber { get; init; }
    public string? CorrectsIssueDate { get; init; }
    public string Reason { get; init; } = "";

    public CreditNote ToDomain(IEnumerable<InvoiceLineRow> lines, IEnumerable<InvoiceTaxRow> taxes, IEnumerable<WithholdingRow> withholdings)
    {
        var currency = Money.Currency.Of(Currency);
        return new CreditNote
        {
            Number = Number,
            AccountId = AccountId,
            Currency = currency,
            IssueDate = DbText.ParseDate(IssueDate),
            CorrectsNumber = CorrectsNumber,
            CorrectsIssueDate = DbText.ParseNullableDate(CorrectsIssueDate),
            Reason = Reason,
            Lines = [.. lines.OrderBy(l => l.LineNumber).Select(l => l.ToDomain(currency))],
            Taxes = [.. taxes.OrderBy(t => t.GroupNumber).Select(t => t.ToDomain(currency))],
            Withholdings = [.. withholdings.Select(w => w.ToDomain(currency)).OrderBy(w => w.RatePercent)],
        };
    }
}

internal sealed class PaymentRow
{
    public string Id { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Currency { get; init; } = "";
    public string ReceivedOn { get; init; } = "";
    public long AmountMinor { get; init; }
    public string? ReversedOn { get; init; }
    public string RecordedAt { get; init; } = "";

    public Payment ToDomain() =>
        new(Id, AccountId, DbText.ParseDate(ReceivedOn), Amount.FromMinorUnits(AmountMinor, Money.Currency.Of(Currency))) { ReversedOn = DbText.ParseNullableDate(ReversedOn) };
}

internal sealed class AllocationRow
{
    public long Id { get; init; }
    public string AccountId { get; init; } = "";
    public string SourceKind { get; init; } = "";
    public string SourceId { get; init; } = "";
    public string InvoiceNumber { get; init; } = "";
    public long AmountMinor { get; init; }
    public string AllocatedOn { get; init; } = "";

    /// <summary>What a run's load reads of the invoice paid (null otherwise): its due date, currency, payable, and 1 when it is split in installments.</summary>
    public string? InvoiceDueDate { get; init; }
    public string? InvoiceCurrency { get; init; }
    public long? InvoicePayableMinor { get; init; }
    public int? InvoiceSplit { get; init; }

    public Allocation ToDomain(Currency currency) =>
        new(Enum.Parse<CreditSource>(SourceKind), SourceId, InvoiceNumber, Amount.FromMinorUnits(AmountMinor, currency), DbText.ParseDate(AllocatedOn));
}

internal sealed class RefundRow
{
    public string SourceKind { get; init; } = "";
    public string SourceId { get; init; } = "";
    public string AccountId { get; init; } = "";
    public string Currency { get; init; } = "";
    public long AmountMinor { get; init; }
    public string RefundedOn { get; init; } = "";

    public Refund ToDomain() =>
        new(Enum.Parse<CreditSource>(SourceKind), SourceId, AccountId, Amount.FromMinorUnits(AmountMinor, Money.Currency.Of(Currency)), DbText.ParseDate(RefundedOn));
}

internal sealed class DisputeRow
{
    public string Id { get; init; } = "";
    public string InvoiceNumber { get; init; } = "";
    public int? LineNumber { get; init; }
    public long AmountMinor { get; init; }
    public string OpenedOn { get; init; } = "";
    public string? Reason { get; init; }
    public string? Outcome { get; init; }
    public string? ResolvedOn { get; init; }
    public string? CreditNoteNumber { get; init; }

    public Dispute ToDomain(Currency currency) =>
        new(Id, InvoiceNumber, LineNumber, Amount.FromMinorUnits(AmountMinor, currency), DbText.ParseDate(OpenedOn), Reason)
        {
            Outcome = Outcome is null ? null : Enum.Parse<DisputeOutcome>(Outcome),
            ResolvedOn = DbText.ParseNullableDate(ResolvedOn),
            CreditNoteNumber = CreditNoteNumber,
        };
}

internal sealed class NumberSeriesRow
{
    public string Series { get; init; } = "";
    public long NextValue { get; init; }
    public string? LastIssueDate { get; init; }
}
