namespace Connector.Invoicing.Storage;

/// <summary>
/// Every SQL statement the connector runs, once per dialect. Statements that are the same in both dialects are
/// written once in <see cref="Common"/>; the ones that differ (upserts, insert-returning, paging, DDL guards) are
/// written for each. A test parses every SQL Server statement with ScriptDom and runs the SQLite ones.
/// </summary>
internal sealed partial record SqlStatements
{
    public required string CreateSchemaVersionTable { get; init; }

    /// <summary>Serialises concurrent start-ups (several replicas) around migrations; released with <see cref="ReleaseMigrationLock"/>.</summary>
    public required string AcquireMigrationLock { get; init; }

    public required string ReleaseMigrationLock { get; init; }

    public required string InsertSourceRecordIfNew { get; init; }

    public required string UpsertWatermark { get; init; }

    public required string UpsertAccount { get; init; }

    public required string UpsertOrder { get; init; }

    public required string UpsertOrderLine { get; init; }

    public required string InsertQuarantineIfNew { get; init; }

    public required string InsertInvoice { get; init; }

    public required string InsertDocument { get; init; }

    public required string SelectPendingOutbox { get; init; }

    public required string UpsertRemoteRecord { get; init; }

    /// <summary>Takes the lease when it is free or expired, or renews it for its holder; then <see cref="SelectLease"/> tells who holds it.</summary>
    public required string TakeLease { get; init; }

    public string SelectLease { get; init; } = Common.SelectLease;

    public string ReleaseLease { get; init; } = Common.ReleaseLease;

    public string SelectSchemaVersions { get; init; } = Common.SelectSchemaVersions;

    public string InsertSchemaVersion { get; init; } = Common.InsertSchemaVersion;

    public string SelectExistingVersions { get; init; } = Common.SelectExistingVersions;

    public string SelectWatermark { get; init; } = Common.SelectWatermark;

    public string SelectDocumentByInvoiceId { get; init; } = Common.SelectDocumentByInvoiceId;

    public string ReplaceDocument { get; init; } = Common.ReplaceDocument;

    public string SelectRecordVersions { get; init; } = Common.SelectRecordVersions;

    public string SelectSourceRecordById { get; init; } = Common.SelectSourceRecordById;

    public string HoldLine { get; init; } = Common.HoldLine;

    public string HoldOrderLines { get; init; } = Common.HoldOrderLines;

    public string ReverseIncomingPayment { get; init; } = Common.ReverseIncomingPayment;

    public string ResolveQuarantine { get; init; } = Common.ResolveQuarantine;

    public string SelectOpenQuarantine { get; init; } = Common.SelectOpenQuarantine;

    public string SelectBillableLines { get; init; } = Common.SelectBillableLines;

    public string InsertInvoiceLine { get; init; } = Common.InsertInvoiceLine;

    public string InsertInvoiceTax { get; init; } = Common.InsertInvoiceTax;

    public string InsertOutbox { get; init; } = Common.InsertOutbox;

    public string SelectInvoices { get; init; } = Common.SelectInvoices;

    public string SelectInvoiceById { get; init; } = Common.SelectInvoiceById;

    public string SelectInvoiceLines { get; init; } = Common.SelectInvoiceLines;

    public string SelectInvoiceTaxes { get; init; } = Common.SelectInvoiceTaxes;

    public string SelectInvoicesWithoutDocument { get; init; } = Common.SelectInvoicesWithoutDocument;

    public string SelectDocumentById { get; init; } = Common.SelectDocumentById;

    public string SelectDocuments { get; init; } = Common.SelectDocuments;

    public string RetryOutboxLater { get; init; } = Common.RetryOutboxLater;

    public string SelectOutboxRetries { get; init; } = Common.SelectOutboxRetries;

    public string StartOutboxAttempt { get; init; } = Common.StartOutboxAttempt;

    public string InsertCycleRun { get; init; } = Common.InsertCycleRun;

    public string DeleteCycleRunsBefore { get; init; } = Common.DeleteCycleRunsBefore;

    public string SelectLastCycleRuns { get; init; } = Common.SelectLastCycleRuns;

    public string SelectInvoiceStats { get; init; } = Common.SelectInvoiceStats;

    public string SelectQuarantineByIds { get; init; } = Common.SelectQuarantineByIds;

    public string DiscardQuarantine { get; init; } = Common.DiscardQuarantine;

    public string CompleteOutboxMany { get; init; } = Common.CompleteOutboxMany;

    public string SelectRemoteIds { get; init; } = Common.SelectRemoteIds;

    public string CountOutboxByStatus { get; init; } = Common.CountOutboxByStatus;
}
