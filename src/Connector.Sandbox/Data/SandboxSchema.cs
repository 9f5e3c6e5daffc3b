namespace Connector.Sandbox.Data;

/// <summary>
/// The objects and fields the sandbox org has: standard objects, Salesforce CPQ's SBQQ__ fields, and the connector's
/// own write-back metadata. Salesforce Billing is NOT installed: no blng__ field exists, as in the org the default
/// profile targets. Field names compare case-insensitively, as in SOQL.
/// </summary>
public sealed class SandboxSchema
{
    private readonly Dictionary<string, ObjectSchema> _objects = new(StringComparer.OrdinalIgnoreCase);

    public static SandboxSchema CpqWithoutBilling()
    {
        var schema = new SandboxSchema();
        schema.Add("Account", "001", [], "Name", "BillingStreet", "BillingCity", "BillingPostalCode", "BillingState", "BillingCountry",
            "Connector_Balance__c", "Connector_Overdue__c");
        schema.Add("Product2", "01t", [], "Name", "ProductCode", "Family", "IsActive");
        schema.Add("Order", "801", [new("Account", "Account", "AccountId")], "OrderNumber", "AccountId", "Status", "EffectiveDate", "EndDate", "Type",
            "SBQQ__PaymentTerm__c", "SBQQ__Contracted__c", "SBQQ__Quote__c", "TotalAmount",
            "Connector_Last_Invoice_Number__c", "Connector_Last_Invoice_Date__c", "Connector_Billed_Through__c");
        schema.Add("OrderItem", "802", [new("Order", "Order", "OrderId"), new("Product2", "Product2", "Product2Id")],
            "OrderId", "Product2Id", "Quantity", "UnitPrice", "ListPrice", "TotalPrice", "ServiceDate", "EndDate", "OrderItemNumber",
            "SBQQ__ChargeType__c", "SBQQ__BillingFrequency__c", "SBQQ__BillingType__c", "SBQQ__SubscriptionTerm__c",
            "SBQQ__ProrateMultiplier__c", "SBQQ__SubscriptionPricing__c", "SBQQ__DefaultSubscriptionTerm__c", "SBQQ__Activated__c",
            "SBQQ__RevisedOrderProduct__c", "SBQQ__QuoteLine__c", "SBQQ__SegmentIndex__c");
        schema.Add("Connector_Invoice__c", "a0I", [new("Connector_Account__r", "Account", "Connector_Account__c"), new("Connector_Order__r", "Order", "Connector_Order__c")],
            "Name", "Connector_Invoice_Key__c", "Connector_Status__c", "Connector_Account__c", "Connector_Order__c", "Connector_Issue_Date__c",
            "Connector_Due_Date__c", "Connector_Net_Amount__c", "Connector_Tax_Amount__c", "Connector_Total_Amount__c", "Connector_Balance__c",
            "Connector_Payment_Status__c", "Connector_Currency__c");
        schema.Add("ContentVersion", "068", [], "Title", "PathOnClient", "FirstPublishLocationId", "ContentDocumentId", "ContentSize",
            "Connector_Content_Key__c", "VersionData");
        return schema;
    }

    public IEnumerable<ObjectSchema> Objects => _objects.Values;

    public ObjectSchema? Find(string objectName) => _objects.GetValueOrDefault(objectName);

    private void Add(string name, string idPrefix, Relationship[] relationships, params string[] fields) =>
        _objects[name] = new ObjectSchema(name, idPrefix, relationships, ["Id", "SystemModstamp", "CreatedDate", "LastModifiedDate", "IsDeleted", .. fields]);
}
