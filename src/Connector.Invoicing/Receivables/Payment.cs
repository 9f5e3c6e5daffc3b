using Connector.Invoicing.Money;

namespace Connector.Invoicing.Receivables;

/// <summary>Money received from an account. A reversed payment (a bounced transfer) counts for nothing, and its allocations are undone.</summary>
internal sealed record Payment(string Id, string AccountId, DateOnly ReceivedOn, Amount Amount)
{
    public DateOnly? ReversedOn { get; init; }

    public bool IsReversed => ReversedOn is not null;
}

/// <summary>Where credit comes from: a payment's unapplied money or a credit note's available amount.</summary>
internal enum CreditSource
{
    Payment,
    CreditNote,
}

/// <summary>Part of a payment or credit note applied to one invoice.</summary>
internal sealed record Allocation(CreditSource Source, string SourceId, string InvoiceNumber, Amount Amount, DateOnly On);

/// <summary>Unapplied credit paid back to the account, from one payment or credit note.</summary>
internal sealed record Refund(CreditSource Source, string SourceId, string AccountId, Amount Amount, DateOnly On);

/// <summary>How a dispute ended.</summary>
internal enum DisputeOutcome
{
    /// <summary>The buyer was right: a credit note for the disputed amount.</summary>
    Accepted,

    /// <summary>The amount is owed after all and returns to the collectible balance.</summary>
    Rejected,
}

/// <summary>A disputed amount of an invoice (or one of its lines), out of the collectible balance until resolved.</summary>
internal sealed record Dispute(string Id, string InvoiceNumber, int? Line, Amount Amount, DateOnly OpenedOn, string? Reason)
{
    public DisputeOutcome? Outcome { get; init; }

    public DateOnly? ResolvedOn { get; init; }

    public string? CreditNoteNumber { get; init; }

    public bool IsOpen => Outcome is null;
}
