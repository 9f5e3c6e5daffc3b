using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// A posted invoice. Immutable: once posted, no code path changes it; corrections are credit notes.
/// <see cref="PostedDocument.Number"/> is unique and gapless within its series.
/// </summary>
internal sealed record Invoice : PostedDocument
{
    public long Id { get; init; }

    public required Party Seller { get; init; }

    public required Party Buyer { get; init; }

    public required DateOnly DueDate { get; init; }

    /// <summary>When the payable amount falls due; empty means all of it on <see cref="DueDate"/>.</summary>
    public IReadOnlyList<Installment> Installments { get; init; } = [];

    /// <summary>The invoice batch the run grouped it by (Salesforce Billing's Invoice Batch); null for the default.</summary>
    public string? Batch { get; init; }

    /// <summary>The installments, or one installment of everything payable on the due date.</summary>
    public IReadOnlyList<Installment> DueSchedule => Installments.Count > 0 ? Installments : [new Installment(1, DueDate, Payable)];

    /// <summary>
    /// The orders billed on this invoice, in first-line order: from its lines, unless a load set them from the stored
    /// header (an invoice whose lines are read late still names its order without that read).
    /// </summary>
    public IReadOnlyList<string> OrderIds
    {
        get => _orderIds ?? [.. Lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal)];
        init => _orderIds = value;
    }

    private readonly IReadOnlyList<string>? _orderIds;
}
