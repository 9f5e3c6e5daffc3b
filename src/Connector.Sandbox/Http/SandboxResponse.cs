using System.Text.Json.Nodes;

namespace Connector.Sandbox.Http;

/// <summary>The sandbox org's answer: status, headers and a JSON (or empty) body.</summary>
internal sealed record SandboxResponse(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static SandboxResponse Json(int statusCode, JsonNode body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(statusCode, body.ToJsonString(), headers ?? new Dictionary<string, string>());

    /// <summary>The REST API's error shape: an array of {message, errorCode}.</summary>
    public static SandboxResponse Error(int statusCode, string errorCode, string message) =>
        Json(statusCode, new JsonArray(new JsonObject { ["message"] = message, ["errorCode"] = errorCode }));
}
