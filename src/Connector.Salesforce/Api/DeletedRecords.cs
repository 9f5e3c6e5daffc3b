namespace Connector.Salesforce.Api;

/// <summary>getDeleted's answer: what was deleted, how far back the org still knows, and up to when it answered.</summary>
internal sealed record DeletedRecords(IReadOnlyList<DeletedRecord> Records, DateTimeOffset? EarliestDateAvailable, DateTimeOffset LatestDateCovered);

/// <summary>One deleted record: its Id and when it was deleted.</summary>
internal sealed record DeletedRecord(string Id, DateTimeOffset DeletedAt);
