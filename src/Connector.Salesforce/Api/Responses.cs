using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Connector.Salesforce.Api;

/// <summary>A query or queryMore page. Records stay JSON: their shape is the mapping's, not the client's.</summary>
internal sealed record QueryResponse(long? TotalSize, bool? Done, string? NextRecordsUrl, List<JsonObject?>? Records);

/// <summary>getDeleted's answer.</summary>
internal sealed record DeletedResponse(List<DeletedItem?>? DeletedRecords, string? EarliestDateAvailable, string? LatestDateCovered);

internal sealed record DeletedItem(string? Id, string? DeletedDate);

/// <summary>The limits resource (only what the connector reads).</summary>
internal sealed record LimitsResponse(LimitValue? DailyApiRequests);

internal sealed record LimitValue(long? Max, long? Remaining);

/// <summary>An sObject describe (only what mapping validation reads).</summary>
internal sealed record DescribeResponse(string? Name, List<DescribeField?>? Fields);

internal sealed record DescribeField(
    string? Name,
    string? Type,
    bool Createable,
    bool Updateable,
    bool ExternalId,
    bool IdLookup,
    bool RestrictedPicklist,
    List<PicklistEntry?>? PicklistValues,
    List<string?>? ReferenceTo,
    string? RelationshipName);

internal sealed record PicklistEntry(string? Value, bool? Active);

/// <summary>One record's result in sObject Collections, a ContentVersion insert or a Composite subresponse's body.</summary>
internal sealed record SaveResultResponse(string? Id, bool? Success, bool? Created, List<ErrorItem?>? Errors);

internal sealed record ErrorItem(string? StatusCode, string? Message, List<string?>? Fields);

/// <summary>A Bulk API 2.0 job as the org reports it (query or ingest).</summary>
internal sealed record JobInfo(string? Id, string? State, string? ContentUrl, string? ErrorMessage);

/// <summary>The org's JSON, read by source-generated code (no reflection): names as the REST API spells them, case ignored.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(QueryResponse))]
[JsonSerializable(typeof(DeletedResponse))]
[JsonSerializable(typeof(LimitsResponse))]
[JsonSerializable(typeof(DescribeResponse))]
[JsonSerializable(typeof(SaveResultResponse))]
[JsonSerializable(typeof(JobInfo))]
internal sealed partial class SalesforceJsonContext : JsonSerializerContext;
