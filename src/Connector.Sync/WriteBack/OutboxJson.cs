using System.Text.Json;

namespace Connector.Sync.WriteBack;

/// <summary>The one JSON shape of outbox payloads (camelCase, dates as yyyy-MM-dd, decimals as numbers).</summary>
internal static class OutboxJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T facts) => JsonSerializer.Serialize(facts, Options);

    public static T Deserialize<T>(string payload) =>
        JsonSerializer.Deserialize<T>(payload, Options) ?? throw new JsonException($"Outbox payload is not a {typeof(T).Name}.");
}
