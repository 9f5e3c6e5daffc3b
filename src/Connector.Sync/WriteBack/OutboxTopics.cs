namespace Connector.Sync.WriteBack;

/// <summary>The kinds of billing fact the outbox carries to the write-back.</summary>
internal static class OutboxTopics
{
    public const string Invoice = "invoice";
    public const string Order = "order";
    public const string Document = "document";
    public const string Account = "account";
    public const string FileLink = "fileLink";
    public const string CreditNote = "creditNote";
    public const string UsageSummary = "usageSummary";
    public const string Usage = "usage";
}
