using System.Text;
using System.Text.Json.Nodes;
using Connector.Sandbox.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    /// <summary>
    /// The Composite resource: up to 25 subrequests in one call (one API call), of which at most 5 are queries or
    /// sObject Collections; each is answered in order with its own status and body; allOrNone false lets each succeed or
    /// fail alone. Subrequests reach the same resources as direct calls (ContentVersion inserts, collections, queries).
    /// </summary>
    internal SandboxResponse Composite(byte[] requestBody)
    {
        var body = JsonNode.Parse(requestBody)?.AsObject();
        if (body?["compositeRequest"] is not JsonArray subrequests || subrequests.Count is 0 or > 25)
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "compositeRequest must hold 1 to 25 subrequests");
        }

        if (subrequests.Count(s => s?["url"]?.GetValue<string>() is { } url && (url.Contains("/composite/sobjects", StringComparison.Ordinal) || url.Contains("/query", StringComparison.Ordinal))) > 5)
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "a composite request may hold at most 5 query or sObject Collections subrequests");
        }

        if (subrequests.Any(s => s?["url"]?.GetValue<string>() is { } url && url.Contains("/composite", StringComparison.Ordinal) && !url.Contains("/composite/sobjects", StringComparison.Ordinal)))
        {
            return SandboxResponse.Error(400, "INVALID_API_INPUT", "a composite request cannot nest composite resources");
        }

        var responses = new JsonArray();
        foreach (var sub in subrequests.OfType<JsonObject>())
        {
            var url = sub["url"]?.GetValue<string>() ?? "";
            var answer = Guarded(() => Subrequest(sub["method"]?.GetValue<string>() ?? "GET", url, Encoding.UTF8.GetBytes(sub["body"]?.ToJsonString() ?? "")));
            responses.Add(new JsonObject
            {
                ["body"] = answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body),
                ["httpHeaders"] = new JsonObject(),
                ["httpStatusCode"] = answer.StatusCode,
                ["referenceId"] = sub["referenceId"]?.GetValue<string>(),
            });
        }

        return SandboxResponse.Json(200, new JsonObject { ["compositeResponse"] = responses });
    }

    /// <summary>
    /// A subrequest names its resource by URL; the ones the connector sends inside Composite are queries, sObject
    /// Collections and JSON ContentVersion inserts. Anything else is NOT_FOUND, as a resource the org does not offer.
    /// </summary>
    private SandboxResponse Subrequest(string method, string url, byte[] body)
    {
        var pathAndQuery = url.Split('?', 2);
        var query = QueryHelpers.ParseQuery(pathAndQuery.Length > 1 ? pathAndQuery[1] : null);
        var segments = pathAndQuery[0].Split('/', StringSplitOptions.RemoveEmptyEntries); // services, data, vXX.X, ...
        if (segments.Length < 4 || segments[0] != "services" || segments[1] != "data")
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: {url}");
        }

        return (method, segments[3..]) switch
        {
            ("GET", ["query"]) => Query(query.TryGetValue("q", out var q) ? q.ToString() : null, includeDeleted: false),
            ("PATCH", ["composite", "sobjects", var sObject, var externalIdField]) => Upsert(sObject, externalIdField, body),
            ("PATCH", ["composite", "sobjects"]) => Update(body),
            ("POST", ["composite", "sobjects"]) => Create(body),
            ("POST", ["sobjects", "ContentVersion"]) => UploadFileJson(body),
            _ => SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: {method} {url}"),
        };
    }
}
