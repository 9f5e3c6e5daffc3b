using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Mapping.WriteBack;
using Connector.Mapping.Profile;

namespace Connector.Sync.WriteBack;

/// <summary>Turns billing facts into the records the org receives, as the profile's write-back targets say.</summary>
internal sealed class WriteBackPayloads(MappingProfile profile)
{
    public WriteBackTarget InvoiceTarget => profile.InvoiceTarget;

    public WriteBackTarget OrderTarget => profile.OrderTarget;

    public string ContentKeyField => profile.ContentKeyField;

    /// <summary>Field of the invoice record that receives the link to its PDF; null writes no link.</summary>
    public string? FileLinkField => profile.FileLinkField;

    /// <summary>The invoice record update that links its uploaded PDF (a relative URL that downloads the file version).</summary>
    public JsonObject FileLinkRecord(string invoiceRecordId, FileLinkFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = InvoiceTarget.Object },
            ["Id"] = invoiceRecordId,
            [FileLinkField ?? throw new InvalidOperationException("The profile writes no PDF link.")] = "/sfc/servlet.shepherd/version/download/" + facts.ContentVersionId,
        };
    }

    /// <summary>
    /// The invoice record, keyed by the target's external-id field. Fields written <c>once</c> are included only when
    /// <paramref name="firstWrite"/> (the org has no record for this invoice yet).
    /// </summary>
    public JsonObject InvoiceRecord(InvoiceFacts facts, bool firstWrite)
    {
        var record = Project(facts, InvoiceTarget, firstWrite);
        record[InvoiceTarget.ExternalIdField!] = facts.InvoiceKey;
        return record;
    }

    /// <summary>The account target, or null when the profile writes nothing to accounts.</summary>
    public WriteBackTarget? AccountTarget => profile.AccountTarget;

    /// <summary>The order record: with <c>Id</c> for an update, or keyed by the external-id field for an upsert.</summary>
    public JsonObject OrderRecord(OrderFacts facts, bool firstWrite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return KeyedRecord(facts, OrderTarget, facts.OrderId, firstWrite);
    }

    /// <summary>The account record, keyed like the order's (by Id, or by the target's external-id field).</summary>
    public JsonObject AccountRecord(AccountFacts facts, bool firstWrite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return KeyedRecord(facts, AccountTarget ?? throw new InvalidOperationException("The profile writes nothing to accounts."), facts.AccountId, firstWrite);
    }

    /// <summary>The credit note target, or null when the profile writes no credit notes.</summary>
    public WriteBackTarget? CreditNoteTarget => profile.CreditNoteTarget;

    /// <summary>A credit note record, keyed by the target's external id (its number); its corrected invoice set through the invoice's key.</summary>
    public JsonObject CreditNoteRecord(CreditNoteFacts facts, bool firstWrite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return KeyedRecord(facts, CreditNoteTarget ?? throw new InvalidOperationException("The profile writes no credit notes."), facts.CreditNoteKey, firstWrite);
    }

    /// <summary>The usage summary target, or null when the profile writes none.</summary>
    public WriteBackTarget? UsageSummaryTarget => profile.UsageSummaryTarget;

    /// <summary>The usage object target, or null when the profile writes no usage status.</summary>
    public WriteBackTarget? UsageTarget => profile.UsageTarget;

    /// <summary>A usage summary record, keyed by the target's external id (order product and period start).</summary>
    public JsonObject UsageSummaryRecord(UsageSummaryFacts facts, bool firstWrite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return KeyedRecord(facts, UsageSummaryTarget ?? throw new InvalidOperationException("The profile writes no usage summaries."), facts.SummaryKey, firstWrite);
    }

    /// <summary>A usage record's status update, by the record's Id.</summary>
    public JsonObject UsageRecord(UsageFacts facts, bool firstWrite)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return KeyedRecord(facts, UsageTarget ?? throw new InvalidOperationException("The profile writes no usage status."), facts.UsageRecordId, firstWrite);
    }

    private static JsonObject KeyedRecord<T>(T facts, WriteBackTarget target, string key, bool firstWrite)
    {
        var record = Project(facts, target, firstWrite);
        if (target.ExternalIdField is { Length: > 0 } externalId)
        {
            record[externalId] = key;
        }
        else
        {
            record["attributes"] = new JsonObject { ["type"] = target.Object };
            record["Id"] = key;
        }

        return record;
    }

    private static JsonObject Project<T>(T facts, WriteBackTarget target, bool firstWrite)
    {
        var all = JsonSerializer.SerializeToNode(facts, OutboxJson.Options)!.AsObject();
        var record = new JsonObject();
        foreach (var spec in target.Fields.Values.Where(s => firstWrite || s.Mode == WriteMode.Always))
        {
            var value = all[spec.Fact]?.DeepClone();
            if (spec.Via is { } key && value is not null)
            {
                record[spec.Field[..^1] + "r"] = new JsonObject { [key] = value }; // Parent__c set through Parent__r's external id
            }
            else
            {
                record[spec.Field] = value;
            }
        }

        return record;
    }
}
