using System.Globalization;
using System.Text.Json.Nodes;
using Connector.Sandbox.Http;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    internal SandboxResponse Describe(string sObject, string? ifModifiedSince)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (ifModifiedSince is { } since
            && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceAt)
            && sinceAt >= Data.Schema.ModifiedAt)
        {
            return new SandboxResponse(304, "", new Dictionary<string, string>());
        }

        var fields = new JsonArray();
        foreach (var field in obj.Fields)
        {
            var system = field.Name is "Id" or "SystemModstamp" or "CreatedDate" or "LastModifiedDate" or "IsDeleted";
            fields.Add(new JsonObject
            {
                ["name"] = field.Name,
                ["type"] = field.Type,
                ["createable"] = !field.ReadOnly,
                ["updateable"] = !field.ReadOnly,
                ["nillable"] = !system,
                ["externalId"] = field.ExternalId,
                ["idLookup"] = field.ExternalId || field.Name == "Id",
                ["restrictedPicklist"] = field.RestrictedPicklist,
                ["picklistValues"] = new JsonArray([.. field.PicklistValues.Select(v => (JsonNode)new JsonObject { ["value"] = v, ["label"] = v, ["active"] = true, ["defaultValue"] = false })]),
                ["referenceTo"] = new JsonArray([.. (field.ReferenceTo is null ? [] : new[] { field.ReferenceTo }).Select(r => (JsonNode)r)]),
                ["relationshipName"] = field.RelationshipName,
            });
        }

        return SandboxResponse.Json(200, new JsonObject
        {
            ["name"] = obj.Name,
            ["fields"] = fields,
            ["childRelationships"] = new JsonArray(),
            ["recordTypeInfos"] = new JsonArray(),
        }, new Dictionary<string, string> { ["Last-Modified"] = Data.Schema.ModifiedAt.ToString("R", CultureInfo.InvariantCulture) });
    }
}
