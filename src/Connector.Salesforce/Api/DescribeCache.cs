using System.Collections.Concurrent;

namespace Connector.Salesforce.Api;

/// <summary>Describe results per object, shared by every client of the process; refreshed with If-Modified-Since.</summary>
internal sealed class DescribeCache
{
    internal ConcurrentDictionary<string, (SObjectDescribe Describe, DateTimeOffset FetchedAt)> Entries { get; } = new(StringComparer.OrdinalIgnoreCase);
}
