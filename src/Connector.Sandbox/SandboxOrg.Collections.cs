using System.Text.Json.Nodes;
using Connector.Sandbox.Data;
using Connector.Sandbox.Http;

namespace Connector.Sandbox;

internal sealed partial class SandboxOrg
{
    internal SandboxResponse Upsert(string sObject, string externalIdField, byte[] body)
    {
        var obj = Data.Schema.Find(sObject);
        if (obj is null)
        {
            return SandboxResponse.Error(404, "NOT_FOUND", $"The requested resource does not exist: sObject type '{sObject}'");
        }

        if (obj.FieldName(externalIdField) is not { } keyField)
        {
            return SandboxResponse.Error(400, "INVALID_FIELD", $"No such column '{externalIdField}' on entity '{obj.Name}'");
        }

        if (!TryRecords(body, out var records, out var problem))
        {
            return problem!;
        }

        CountCollectionsRequest(obj.Name);
        return SandboxResponse.Json(200, new JsonArray([.. records.Select(r => (JsonNode)UpsertOne(obj, keyField, WithoutAttributes(r)))]));
    }

    /// <summary>One record of an upsert by external id: created when no record has the key, else updated.</summary>
    private JsonObject UpsertOne(ObjectSchema obj, string keyField, JsonObject fields)
    {
        if (fields.ContainsKey("Id"))
        {
            return Failure("INVALID_FIELD", "Id is not allowed in an upsert by external id", "Id");
        }

        if (fields[keyField]?.GetValue<string>() is not { Length: > 0 } key)
        {
            return Failure("MISSING_ARGUMENT", $"{keyField} not specified", keyField);
        }

        if ((ResolveReferences(obj, fields) ?? FieldProblem(obj, fields)) is { } refusal)
        {
            return refusal;
        }

        if (Faults.TakeLock(key))
        {
            return Failure("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records");
        }

        var existing = Data.FindBy(obj.Name, keyField, key);
        if (existing is null)
        {
            return Success(Data.Insert(obj.Name, fields), created: true);
        }

        var id = existing["Id"]!.GetValue<string>();
        Data.Update(obj.Name, id, fields);
        return Success(id, created: false);
    }

    internal SandboxResponse Update(byte[] body) => EachRecord(body, record =>
    {
        var type = record["attributes"]?["type"]?.GetValue<string>();
        var obj = type is null ? null : Data.Schema.Find(type);
        return obj is null || record["Id"] is null
            ? Failure("INVALID_TYPE", "each record needs attributes.type and Id")
            : UpdateOne(obj, WithoutAttributes(record));
    });

    /// <summary>
    /// A collections request (one API call, counted under each record type it names): each record answered by
    /// <paramref name="answer"/>, in order, allOrNone false.
    /// </summary>
    private SandboxResponse EachRecord(byte[] body, Func<JsonObject, JsonNode?> answer)
    {
        if (!TryRecords(body, out var records, out var problem))
        {
            return problem!;
        }

        foreach (var type in records.Select(r => r["attributes"]?["type"]?.GetValue<string>()).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            CountCollectionsRequest(type);
        }

        var results = new JsonArray();
        foreach (var record in records)
        {
            results.Add(answer(record));
        }

        return SandboxResponse.Json(200, results);
    }

    /// <summary>One record of an update by Id.</summary>
    private JsonObject UpdateOne(ObjectSchema obj, JsonObject fields)
    {
        var id = fields["Id"]?.GetValue<string>() ?? "";
        fields.Remove("Id");
        if ((ResolveReferences(obj, fields) ?? FieldProblem(obj, fields)) is { } refusal)
        {
            return refusal;
        }

        if (Data.Find(obj.Name, id) is null)
        {
            return Failure("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "Id");
        }

        if (Faults.TakeLock(id))
        {
            return Failure("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records");
        }

        Data.Update(obj.Name, id, fields);
        return Success(id, created: null);
    }

    private static bool TryRecords(byte[] requestBody, out List<JsonObject> records, out SandboxResponse? problem)
    {
        var body = JsonNode.Parse(requestBody)?.AsObject();
        records = body?["records"] is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
        problem = null;
        if (body?["records"] is not JsonArray)
        {
            problem = SandboxResponse.Error(400, "JSON_PARSER_ERROR", "records is required");
        }
        else if (records.Count > 200)
        {
            problem = SandboxResponse.Error(400, "EXCEEDED_ID_LIMIT", "record limit is 200");
        }

        return problem is null;
    }

    private static JsonObject WithoutAttributes(JsonObject record)
    {
        var copy = (JsonObject)record.DeepClone();
        copy.Remove("attributes");
        return copy;
    }

    /// <summary>What the org says of a record whose fields it cannot write: unknown, read-only, or a restricted picklist's bad value.</summary>
    /// <summary>
    /// Sets lookups given through the parent's external id, as Salesforce's writes allow: <c>"Parent__r": { "Key__c": "K" }</c>
    /// (REST) or a <c>Parent__r.Key__c</c> column (Bulk API). Fails as the org does when no parent has the key.
    /// </summary>
    private JsonObject? ResolveReferences(ObjectSchema obj, JsonObject fields)
    {
        foreach (var name in fields.Select(p => p.Key).ToList())
        {
            var (relationshipName, key, value) = fields[name] is JsonObject nested && nested.Count == 1
                ? (name, nested.First().Key, nested.First().Value)
                : name.Split('.') is [var r, var k] ? (r, k, fields[name]) : (null, null, null);
            if (relationshipName is null || obj.FindRelationship(relationshipName) is not { } relationship)
            {
                continue;
            }

            fields.Remove(name);
            if (value is null)
            {
                fields[relationship.IdField] = null;
                continue;
            }

            var parent = Data.FindBy(relationship.TargetObject, key!, value.ToString());
            if (parent is null)
            {
                return Failure("INVALID_FIELD", $"Foreign key external ID: {value} not found for field {key} in entity {relationship.TargetObject}", relationship.IdField);
            }

            fields[relationship.IdField] = parent["Id"]!.DeepClone();
        }

        return null;
    }

    private static JsonObject? FieldProblem(ObjectSchema obj, JsonObject fields)
    {
        if (UnknownField(obj, fields) is { } unknown)
        {
            return Failure("INVALID_FIELD", $"No such column '{unknown}' on sobject of type {obj.Name}", unknown);
        }

        foreach (var (name, value) in fields)
        {
            var field = obj.Field(name)!;
            if (field.ReadOnly)
            {
                return Failure("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field.", field.Name);
            }

            if (field.RestrictedPicklist && value is not null && !field.PicklistValues.Contains(value.GetValue<string>(), StringComparer.Ordinal))
            {
                return Failure("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"bad value for restricted picklist field: {value}", field.Name);
            }
        }

        return null;
    }

    private static string? UnknownField(ObjectSchema obj, JsonObject fields) =>
        fields.Select(f => f.Key).FirstOrDefault(name => name != "attributes" && obj.FieldName(name) is null);

    private static JsonObject Success(string id, bool? created)
    {
        var result = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } c)
        {
            result["created"] = c;
        }

        return result;
    }

    private static JsonObject Failure(string statusCode, string message, params string[] fields) => new()
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject
        {
            ["statusCode"] = statusCode,
            ["message"] = message,
            ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
        }),
    };
}
