using Connector.Invoicing.Money;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Billing;

/// <summary>
/// A line in the book: its schedule (<see cref="Terms"/>, whose end a cancellation moves) and what the invoice prints.
/// <see cref="FamilyId"/> is the original line that amendments revise; holds, cancellations and billing-date overrides
/// apply to the whole family.
/// </summary>
internal sealed class BookLine
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string OrderId { get; init; }

    public required string Product { get; init; }

    public required ChargeTerms Terms { get; set; }

    public required Currency Currency { get; init; }

    public string? Batch { get; init; }

    /// <summary>The key of the legal entity that bills the line (see <see cref="BookSettings.Entity"/>).</summary>
    public string LegalEntity { get; init; } = "";

    public decimal TaxRate { get; init; }

    public string? TaxExemptReason { get; init; }

    public decimal WithholdingPercent { get; init; }

    public required string FamilyId { get; init; }

    public string? Revises { get; init; }

    public required int Sequence { get; init; }

    /// <summary>A usage line's consumption schedule; null for one-time and recurring lines.</summary>
    public Usage.ConsumptionSchedule? Consumption { get; init; }
}

/// <summary>
/// What the book billed or credited for one piece of one line (keyed by the piece's start), on which document, and
/// which invoice the amount sits on (the invoice itself, or the invoice a credit note corrects). The sum of a piece's
/// entries is what the customer has been charged for it by the schedule.
/// </summary>
internal sealed record LedgerEntry(
    string LineId,
    DateOnly PieceStart,
    BillingPeriod Period,
    BillingPeriod Whole,
    decimal Factor,
    Amount Net,
    string Document,
    int DocumentLine,
    string Invoice,
    bool IsInvoice);

/// <summary>Salesforce Billing's Hold Billing on a line family: no run on a day inside it bills the family.</summary>
internal sealed record Hold(string FamilyId, DateOnly From, DateOnly? Until)
{
    public DateOnly? ReleasedOn { get; init; }

    public bool IsActiveOn(DateOnly day) => From <= day && (Until is null || day <= Until) && (ReleasedOn is null || day < ReleasedOn);
}
