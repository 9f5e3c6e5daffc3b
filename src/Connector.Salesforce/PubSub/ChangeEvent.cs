namespace Connector.Salesforce.PubSub;

/// <summary>
/// One Change Data Capture event as the connector uses it: its ChangeEventHeader (which records of which object, how
/// they changed, who changed them and when) and the names of the fields it says changed. Field values are not kept:
/// the connector reads the records themselves, so an event is only ever a pointer to what to read.
/// </summary>
/// <param name="EntityName">The object, e.g. <c>Order</c>.</param>
/// <param name="RecordIds">The records; empty for GAP_OVERFLOW.</param>
/// <param name="ChangeType">CREATE, UPDATE, DELETE, UNDELETE, GAP_CREATE … GAP_UNDELETE, GAP_OVERFLOW (SNAPSHOT is reserved).</param>
/// <param name="ChangeOrigin"><c>com/salesforce/api/&lt;api&gt;/&lt;version&gt;;client=&lt;id&gt;</c> for API changes; empty otherwise.</param>
/// <param name="CommitTimestamp">When the transaction committed (the header's epoch milliseconds).</param>
/// <param name="TransactionKey">The transaction; with <see cref="SequenceNumber"/> it names the event.</param>
/// <param name="SequenceNumber">The event's place within its transaction.</param>
/// <param name="ChangedFields">Fields the bitmap names (<c>Parent.Child</c> for a compound field's part).</param>
/// <param name="ReplayId">Where the event sits in its channel's stream (opaque bytes).</param>
internal sealed record ChangeEvent(
    string EntityName,
    IReadOnlyList<string> RecordIds,
    string ChangeType,
    string ChangeOrigin,
    DateTimeOffset CommitTimestamp,
    string TransactionKey,
    int SequenceNumber,
    IReadOnlyList<string> ChangedFields,
    ReadOnlyMemory<byte> ReplayId)
{
    /// <summary>More than 100,000 changes in one transaction: the entity must be read again as a whole (no record ids).</summary>
    public bool IsOverflow => ChangeType == "GAP_OVERFLOW";

    public bool IsDelete => ChangeType is "DELETE" or "GAP_DELETE";

    /// <summary>Whether the change was made by a call that named <paramref name="client"/> in <c>Sforce-Call-Options</c>.</summary>
    public bool MadeBy(string client) =>
        ChangeOrigin.Split(';').Any(part => part.Trim().Equals("client=" + client, StringComparison.Ordinal));
}
