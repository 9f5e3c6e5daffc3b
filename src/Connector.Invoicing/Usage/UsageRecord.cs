namespace Connector.Invoicing.Usage;

/// <summary>
/// One usage record (Salesforce Billing's blng__Usage__c): <see cref="Quantity"/> consumed on <see cref="Date"/> on a
/// usage line; a negative quantity is a correction. Records are never edited: the same id is the same record.
/// <see cref="Source"/> says where it came from (a scenario event, a Salesforce record, a file row), for messages.
/// </summary>
internal sealed record UsageRecord(string Id, string LineId, DateOnly Date, decimal Quantity, string? UnitOfMeasure = null, string? MatchingAttribute = null)
{
    public string Source { get; init; } = "";

    /// <summary>The org's record id when the record came from a Salesforce object (its status is written back to it); null otherwise.</summary>
    public string? SourceRecordId { get; init; }

    public bool SameContent(UsageRecord other) =>
        other is not null && string.Equals(LineId, other.LineId, StringComparison.Ordinal) && Date == other.Date && Quantity == other.Quantity
        && string.Equals(UnitOfMeasure, other.UnitOfMeasure, StringComparison.Ordinal) && string.Equals(MatchingAttribute, other.MatchingAttribute, StringComparison.Ordinal);
}

/// <summary>Where a usage record stands: taken into account by a document, waiting for its period, rejected, or a duplicate.</summary>
internal enum UsageState
{
    Billed,
    Unbilled,
    Rejected,
    Ignored,
}

/// <summary>A usage record's state; <see cref="Document"/> is the invoice or credit note that took it into account, if any.</summary>
internal sealed record UsageStatus(UsageState State, string? Document = null, string? Reason = null);
