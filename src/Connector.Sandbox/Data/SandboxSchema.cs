namespace Connector.Sandbox.Data;

/// <summary>
/// The objects and fields the sandbox org has, with their describe types: standard objects, Salesforce CPQ's SBQQ__
/// fields, and the connector's own write-back metadata (as in deploy/salesforce). Salesforce Billing is NOT installed:
/// no blng__ field exists, as in the org the default profile targets. Names compare case-insensitively, as in SOQL.
/// </summary>
internal sealed class SandboxSchema
{
    private static readonly string[] SystemFields = ["Id:id!ro", "SystemModstamp:datetime!ro", "CreatedDate:datetime!ro", "LastModifiedDate:datetime!ro", "IsDeleted:boolean!ro"];
    private readonly Dictionary<string, ObjectSchema> _objects = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the metadata last changed (describe answers 304 to an If-Modified-Since at or after it).</summary>
    public DateTimeOffset ModifiedAt { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SandboxSchema CpqWithoutBilling()
    {
        var schema = new SandboxSchema();
        schema.Add("Account", "001", [], "Name", "BillingStreet:textarea", "BillingCity", "BillingPostalCode", "BillingState", "BillingCountry",
            "Connector_Balance__c:currency", "Connector_Overdue_Amount__c:currency", "Connector_Disputed_Amount__c:currency", "Connector_Available_Credit__c:currency",
            "Connector_VAT_Number__c", "Connector_Language__c:picklist(en|es|de|da)!restricted", "Connector_Peppol_Id__c", "Connector_Peppol_Scheme__c",
            "Connector_Buyer_Reference__c");
        schema.Add("Product2", "01t", [], "Name", "ProductCode", "Family:picklist(Software|Services|Usage|Books)", "IsActive:boolean");
        schema.Add("Contract", "800", [new("Account", "Account", "AccountId")], "ContractNumber:string!ro", "AccountId", "Status:picklist(Draft|Activated)",
            "StartDate:date", "EndDate:date", "ContractTerm:int", "SBQQ__RenewalTerm__c:double", "SBQQ__Evergreen__c:boolean");
        schema.Add("Order", "801", [new("Account", "Account", "AccountId"), new("Contract", "Contract", "ContractId")], "OrderNumber:string!ro", "AccountId", "ContractId:reference(Contract)", "Status:picklist(Draft|Activated)!restricted",
            "EffectiveDate:date", "EndDate:date", "Type:picklist(New|Renewal|Amendment)", "SBQQ__PaymentTerm__c:picklist(Due on Receipt|Net 15|Net 30|Net 45|Net 60|Net 90)",
            "SBQQ__Contracted__c:boolean", "SBQQ__Quote__c:reference(SBQQ__Quote__c)", "TotalAmount:currency!ro",
            "Connector_Last_Invoice_Number__c", "Connector_Last_Invoice_Date__c:date", "Connector_Billed_Through__c:date",
            "Connector_Next_Billing_Date__c:date", "Connector_Bill_Now__c:boolean", "Connector_Legal_Entity__c");
        schema.Add("OrderItem", "802", [new("Order", "Order", "OrderId"), new("Product2", "Product2", "Product2Id")],
            "OrderId", "Product2Id", "Quantity:double", "UnitPrice:currency", "ListPrice:currency!ro", "TotalPrice:currency!ro", "ServiceDate:date", "EndDate:date",
            "OrderItemNumber:string!ro", "SBQQ__ChargeType__c:picklist(One-Time|Recurring|Usage)", "SBQQ__BillingFrequency__c:picklist(Monthly|Quarterly|Semiannual|Annual|Invoice Plan)",
            "SBQQ__BillingType__c:picklist(Advance|Arrears)", "SBQQ__SubscriptionTerm__c:double", "SBQQ__ProrateMultiplier__c:double", "SBQQ__SubscriptionPricing__c:picklist(Fixed Price|Percent Of Total)",
            "SBQQ__DefaultSubscriptionTerm__c:double", "SBQQ__Activated__c:boolean", "SBQQ__RevisedOrderProduct__c:reference(OrderItem)", "SBQQ__QuoteLine__c:reference(SBQQ__QuoteLine__c)",
            "SBQQ__SegmentIndex__c:double");
        schema.Add("SBQQ__Subscription__c", "a1C",
            [new("SBQQ__Contract__r", "Contract", "SBQQ__Contract__c"), new("SBQQ__OrderProduct__r", "OrderItem", "SBQQ__OrderProduct__c"),
             new("SBQQ__Product__r", "Product2", "SBQQ__Product__c"), new("SBQQ__Account__r", "Account", "SBQQ__Account__c")],
            "Name:string!ro", "SBQQ__Contract__c:reference(Contract)", "SBQQ__OrderProduct__c:reference(OrderItem)", "SBQQ__Product__c:reference(Product2)",
            "SBQQ__Account__c:reference(Account)", "SBQQ__Quantity__c:double", "SBQQ__NetPrice__c:currency", "SBQQ__StartDate__c:date", "SBQQ__EndDate__c:date",
            "SBQQ__TerminatedDate__c:date", "SBQQ__ChargeType__c:picklist(One-Time|Recurring|Usage)",
            "SBQQ__BillingFrequency__c:picklist(Monthly|Quarterly|Semiannual|Annual|Invoice Plan)", "SBQQ__BillingType__c:picklist(Advance|Arrears)",
            "SBQQ__ProrateMultiplier__c:double", "SBQQ__RevisedSubscription__c:reference(SBQQ__Subscription__c)");
        schema.Add("Connector_Invoice__c", "a0I", [new("Connector_Account__r", "Account", "Connector_Account__c"), new("Connector_Order__r", "Order", "Connector_Order__c")],
            "Name", "Connector_Invoice_Key__c!ext", "Connector_Status__c:picklist(Draft|Posted|Canceled)!restricted", "Connector_Account__c", "Connector_Order__c",
            "Connector_Issue_Date__c:date", "Connector_Due_Date__c:date", "Connector_Currency__c", "Connector_Net_Amount__c:currency", "Connector_Tax_Amount__c:currency",
            "Connector_Total_Amount__c:currency", "Connector_Balance__c:currency", "Connector_Paid_Amount__c:currency",
            "Connector_Credited_Amount__c:currency", "Connector_Disputed_Amount__c:currency", "Connector_PDF_Link__c:url",
            "Connector_Payment_Status__c:picklist(Unpaid|PartiallyPaid|Paid|Overdue)!restricted");
        schema.Add("Connector_Credit_Note__c", "a0C",
            [new("Connector_Account__r", "Account", "Connector_Account__c"), new("Connector_Order__r", "Order", "Connector_Order__c"),
             new("Connector_Invoice__r", "Connector_Invoice__c", "Connector_Invoice__c")],
            "Name", "Connector_Credit_Note_Key__c!ext", "Connector_Status__c:picklist(Posted)!restricted", "Connector_Account__c:reference(Account)",
            "Connector_Order__c:reference(Order)", "Connector_Invoice__c:reference(Connector_Invoice__c)", "Connector_Issue_Date__c:date", "Connector_Currency__c",
            "Connector_Reason__c:textarea", "Connector_Net_Amount__c:currency", "Connector_Tax_Amount__c:currency", "Connector_Total_Amount__c:currency",
            "Connector_Allocated_Amount__c:currency", "Connector_Available_Amount__c:currency");
        schema.Add("SBQQ__OrderItemConsumptionSchedule__c", "a2E", [new("SBQQ__OrderItem__r", "OrderItem", "SBQQ__OrderItem__c")],
            "Name:string!ro", "SBQQ__OrderItem__c:reference(OrderItem)", "SBQQ__Type__c:picklist(Range|Slab)", "SBQQ__RatingMethod__c:picklist(Tier)",
            "SBQQ__BillingTerm__c:double", "SBQQ__BillingTermUnit__c:picklist(Month|Quarter|Year)", "SBQQ__Category__c:picklist(Rates|Credits)",
            "SBQQ__UnitOfMeasure__c", "SBQQ__MatchingAttribute__c");
        schema.Add("SBQQ__OrderItemConsumptionRate__c", "a2F",
            [new("SBQQ__OrderItemConsumptionSchedule__r", "SBQQ__OrderItemConsumptionSchedule__c", "SBQQ__OrderItemConsumptionSchedule__c")],
            "Name:string!ro", "SBQQ__OrderItemConsumptionSchedule__c:reference(SBQQ__OrderItemConsumptionSchedule__c)", "SBQQ__LowerBound__c:double",
            "SBQQ__UpperBound__c:double", "SBQQ__Price__c:currency", "SBQQ__PricingMethod__c:picklist(PerUnit|FlatFee)", "SBQQ__ProcessingOrder__c:double");
        schema.Add("Connector_Usage__c", "a0U", [new("Connector_Order_Product__r", "OrderItem", "Connector_Order_Product__c")],
            "Name:string!ro", "Connector_Usage_Id__c!ext", "Connector_Order_Product__c:reference(OrderItem)", "Connector_Usage_Date__c:date", "Connector_Quantity__c:double",
            "Connector_Unit_Of_Measure__c", "Connector_Matching_Attribute__c", "Connector_Status__c:picklist(New|Billed|Rejected)!restricted",
            "Connector_Invoice_Number__c", "Connector_Status_Reason__c:textarea");
        schema.Add("Connector_Usage_Summary__c", "a0V",
            [new("Connector_Order_Product__r", "OrderItem", "Connector_Order_Product__c"), new("Connector_Order__r", "Order", "Connector_Order__c")],
            "Name", "Connector_Summary_Key__c!ext", "Connector_Order_Product__c:reference(OrderItem)", "Connector_Order__c:reference(Order)",
            "Connector_Period_Start__c:date", "Connector_Period_End__c:date", "Connector_Quantity__c:double", "Connector_Unit_Of_Measure__c",
            "Connector_Currency__c", "Connector_Amount__c:currency", "Connector_Status__c:picklist(Billed)!restricted", "Connector_Invoice_Number__c");
        schema.Add("ContentVersion", "068", [], "Title", "PathOnClient", "FirstPublishLocationId:reference(Account)", "ContentDocumentId:reference(ContentDocument)",
            "IsLatest:boolean!ro", "VersionNumber:string!ro", "ContentSize:int!ro", "Connector_Content_Key__c", "VersionData:base64");
        return schema;
    }

    public IEnumerable<ObjectSchema> Objects => _objects.Values;

    public ObjectSchema? Find(string objectName) => _objects.GetValueOrDefault(objectName);

    /// <summary>Hides a field from the integration user (FLS) and moves <see cref="ModifiedAt"/>.</summary>
    public void Hide(string objectName, string fieldName, DateTimeOffset at)
    {
        _objects[objectName].Hide(fieldName);
        ModifiedAt = at;
    }

    /// <summary>Adds an object (a custom object an org has, say): its API name, key prefix, lookups and field specs (<see cref="FieldDefinition.Parse"/>).</summary>
    public void Add(string name, string idPrefix, Relationship[] relationships, params string[] fields) =>
        _objects[name] = new ObjectSchema(name, idPrefix, relationships, SystemFields.Concat(fields).Select(FieldDefinition.Parse));
}
