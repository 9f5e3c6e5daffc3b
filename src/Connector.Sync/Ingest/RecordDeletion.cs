namespace Connector.Sync.Ingest;

/// <summary>A record the org deleted, when, and what its deletion stops here.</summary>
internal sealed record RecordDeletion(string RecordId, DateTimeOffset DeletedAt, DeletionEffect Effect);

/// <summary>
/// What a deletion in the org does to billing. Posted documents never change: a deletion holds what would be billed
/// next and leaves a quarantine row for a person to settle (restore the record, or credit what was billed).
/// </summary>
internal enum DeletionEffect
{
    /// <summary>Nothing billed depends on the record alone (an account, a contract): the row is for a person to check.</summary>
    None,

    /// <summary>An order line: its billing is held.</summary>
    HoldLine,

    /// <summary>An order: the billing of all its lines is held.</summary>
    HoldOrder,

    /// <summary>A payment: reversed by the next run, as when the org cancels it.</summary>
    ReversePayment,
}
