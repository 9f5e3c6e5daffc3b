using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Invoices;

/// <summary>
/// A posted invoice. Immutable: once posted, no code path changes it; corrections are credit notes.
/// <see cref="PostedDocument.Number"/> is unique and gapless within its series.
/// </summary>
internal sealed record Invoice : PostedDocument
{
    private readonly Party? _seller;
    private readonly Party? _buyer;
    private readonly Func<(Party Seller, Party Buyer)>? _parties;

    public Invoice()
    {
    }

    /// <summary>
    /// An invoice whose seller and buyer are read when first asked for: a book loads every posted invoice of its
    /// accounts for their balances, and needs an old invoice's parties only to register a credit note against it.
    /// </summary>
#pragma warning disable CS8618 // Seller and Buyer come from the parties given, when first read.
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    internal Invoice(Func<(Party Seller, Party Buyer)> parties, string number, string accountId, Money.Currency currency, DateOnly issueDate, DateOnly dueDate)
    {
        _parties = parties;
        Number = number;
        AccountId = accountId;
        Currency = currency;
        IssueDate = issueDate;
        DueDate = dueDate;
        Lines = [];
        Taxes = [];
    }
#pragma warning restore CS8618

    public long Id { get; init; }

    public required Party Seller
    {
        get => _seller ?? _parties?.Invoke().Seller ?? throw new InvalidOperationException($"Invoice {Number} has no seller.");
        init => _seller = value;
    }

    public required Party Buyer
    {
        get => _buyer ?? _parties?.Invoke().Buyer ?? throw new InvalidOperationException($"Invoice {Number} has no buyer.");
        init => _buyer = value;
    }

    public required DateOnly DueDate { get; init; }

    /// <summary>When the payable amount falls due; empty means all of it on <see cref="DueDate"/>.</summary>
    public IReadOnlyList<Installment> Installments { get; init; } = [];

    /// <summary>The invoice batch the run grouped it by (Salesforce Billing's Invoice Batch); null for the default.</summary>
    public string? Batch { get; init; }

    /// <summary>The installments, or one installment of everything payable on the due date.</summary>
    public IReadOnlyList<Installment> DueSchedule => Installments.Count > 0 ? Installments : [new Installment(1, DueDate, Payable)];

    /// <summary>
    /// The orders billed on this invoice, in first-line order: from its lines, unless a load set them from the stored
    /// header (an invoice whose lines are read late still names its order without that read); null: from its lines.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public IReadOnlyList<string> OrderIds
    {
        get => _orderIds ?? [.. Lines.Select(l => l.OrderId).Distinct(StringComparer.Ordinal)];
        init => _orderIds = value;
    }

    private readonly IReadOnlyList<string>? _orderIds;
}
