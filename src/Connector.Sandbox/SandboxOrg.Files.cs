using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Http;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    /// <summary>A ContentVersion insert as JSON, VersionData in base64 (how Composite subrequests upload).</summary>
    internal SandboxResponse UploadFileJson(byte[] body)
    {
        var entity = JsonNode.Parse(body)?.AsObject() ?? throw new JsonException("the body is empty");
        if (entity["VersionData"]?.GetValue<string>() is not { } base64)
        {
            return SandboxResponse.Error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [VersionData]");
        }

        entity.Remove("VersionData");
        return UploadFile(entity, Convert.FromBase64String(base64));
    }

    /// <summary>
    /// sObject Collections create (POST /composite/sobjects, one API call): up to 200 records, each answered in order with
    /// its own result, allOrNone false. The connector creates files this way (ContentVersion, VersionData in base64);
    /// other types are refused as this sandbox does not create them.
    /// </summary>
    internal SandboxResponse Create(byte[] body) => EachRecord(body, record =>
    {
        if (record["attributes"]?["type"]?.GetValue<string>() != "ContentVersion")
        {
            return Failure("INVALID_TYPE", "this sandbox creates only ContentVersion records through sObject Collections");
        }

        var answer = UploadFileJson(System.Text.Encoding.UTF8.GetBytes(WithoutAttributes(record).ToJsonString()));
        var node = JsonNode.Parse(answer.Body);
        return answer.StatusCode == 201 ? node
            : Failure(node?[0]?["errorCode"]?.GetValue<string>() ?? "UNKNOWN_EXCEPTION", node?[0]?["message"]?.GetValue<string>() ?? answer.Body);
    });

    /// <summary>A ContentVersion insert from a multipart body's two parts: entity_content (JSON) and VersionData.</summary>
    internal SandboxResponse UploadFileParts(string? entityContent, byte[]? content) =>
        entityContent is null || content is null
            ? SandboxResponse.Error(400, "INVALID_MULTIPART_REQUEST", "entity_content and VersionData parts are required")
            : UploadFile(JsonNode.Parse(entityContent)?.AsObject() ?? throw new JsonException("entity_content is empty"), content);

    private SandboxResponse UploadFile(JsonObject entity, byte[] content)
    {
        var obj = Data.Schema.Find("ContentVersion")!;
        if (UnknownField(obj, entity) is { } unknown)
        {
            return SandboxResponse.Error(400, "INVALID_FIELD", $"No such column '{unknown}' on sobject of type ContentVersion");
        }

        if (entity["FirstPublishLocationId"]?.GetValue<string>() is { } linked && !Data.Schema.Objects.Any(o => Data.Find(o.Name, linked) is not null))
        {
            return SandboxResponse.Error(400, "INVALID_CROSS_REFERENCE_KEY", "FirstPublishLocationId: invalid cross reference id");
        }

        // A new version names its ContentDocument (and no FirstPublishLocationId: the file keeps its links); the older
        // versions stay, no longer the latest. Otherwise the upload starts a new document linked to the record.
        var versions = new List<JsonObject>();
        if (entity["ContentDocumentId"]?.GetValue<string>() is { } documentId)
        {
            if (entity.ContainsKey("FirstPublishLocationId"))
            {
                return SandboxResponse.Error(400, "FIELD_INTEGRITY_EXCEPTION", "FirstPublishLocationId cannot be set on a new version of an existing document");
            }

            versions = [.. Data.All("ContentVersion").Where(v => v["ContentDocumentId"]?.GetValue<string>() == documentId)];
            if (versions.Count == 0)
            {
                return SandboxResponse.Error(400, "INVALID_CROSS_REFERENCE_KEY", "ContentDocumentId: invalid cross reference id");
            }
        }

        var fields = (JsonObject)entity.DeepClone();
        fields["ContentSize"] = content.Length;
        fields["ContentDocumentId"] = entity["ContentDocumentId"]?.GetValue<string>() ?? string.Create(CultureInfo.InvariantCulture, $"069SANDBOX{++_documentSeed:00000}");
        fields["FirstPublishLocationId"] = entity["FirstPublishLocationId"]?.DeepClone() ?? versions.FirstOrDefault()?["FirstPublishLocationId"]?.DeepClone();
        fields["IsLatest"] = true;
        fields["VersionNumber"] = (versions.Count + 1).ToString(CultureInfo.InvariantCulture);
        foreach (var older in versions)
        {
            Data.Find("ContentVersion", older["Id"]!.GetValue<string>())!["IsLatest"] = false;
        }

        var id = Data.Insert("ContentVersion", fields);
        _fileContents[id] = content;
        return SandboxResponse.Json(201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
    }
}
