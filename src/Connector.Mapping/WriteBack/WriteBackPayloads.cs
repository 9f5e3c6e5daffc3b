using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Invoicing.Outbox;
using Connector.Mapping.Profile;

namespace Connector.Mapping.WriteBack;

/// <summary>Turns billing facts into the records the org receives, as the profile's write-back targets say.</summary>
public sealed class WriteBackPayloads(MappingProfile profile)
{
    public WriteBackTarget InvoiceTarget => profile.WriteBack.Invoice;

    public WriteBackTarget OrderTarget => profile.WriteBack.Order;

    public string ContentKeyField => profile.WriteBack.File.ContentKeyField;

    /// <summary>The invoice record, keyed by the target's external-id field (set to the invoice key even if not mapped).</summary>
    public JsonObject InvoiceRecord(InvoiceFacts facts)
    {
        var record = Project(facts, InvoiceTarget);
        record[InvoiceTarget.ExternalIdField!] = facts.InvoiceKey;
        return record;
    }

    /// <summary>The order record: with <c>Id</c> for an update, or keyed by the external-id field for an upsert.</summary>
    public JsonObject OrderRecord(OrderFacts facts)
    {
        var record = Project(facts, OrderTarget);
        if (OrderTarget.ExternalIdField is { Length: > 0 } externalId)
        {
            record[externalId] = facts.OrderId;
        }
        else
        {
            record["attributes"] = new JsonObject { ["type"] = OrderTarget.Object };
            record["Id"] = facts.OrderId;
        }

        return record;
    }

    private static JsonObject Project<T>(T facts, WriteBackTarget target)
    {
        var all = JsonSerializer.SerializeToNode(facts, OutboxJson.Options)!.AsObject();
        var record = new JsonObject();
        foreach (var (field, fact) in target.Fields)
        {
            record[field] = all[fact]?.DeepClone();
        }

        return record;
    }
}
